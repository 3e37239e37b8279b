import fs from 'node:fs';
import os from 'node:os';

/** The niceness given to every thread but the one that reads keys and draws the screen. */
export const backgroundNice = 10;

/**
 * Lower the priority of every thread of this process except the main one:
 * the model worker, and V8's and libuv's helper threads (garbage collection
 * and compilation for the worker's heap run there). On a 2-core machine a key
 * otherwise waited up to 25 ms in the run queue behind them (measured with
 * /proc schedstat during `bench:teach-latency`); at nice 10 the screen's
 * thread runs first, and the model still gets every cycle the screen leaves.
 *
 * Linux only: there `setpriority` on a thread id changes that thread alone.
 * Elsewhere it would change the whole process, so nothing is done. Threads
 * started later are caught by calling this again; raising niceness needs no
 * privilege, and a thread already lowered is left as it is.
 * Returns how many threads were lowered.
 */
export function lowerBackgroundThreads(nice = backgroundNice): number {
	if (process.platform !== 'linux') {
		return 0;
	}

	let lowered = 0;
	let threads: string[];
	try {
		threads = fs.readdirSync('/proc/self/task');
	} catch {
		return 0;
	}

	for (const name of threads) {
		const thread = Number(name);
		if (!Number.isInteger(thread) || thread === process.pid) {
			continue;
		}

		try {
			if (os.getPriority(thread) < nice) {
				os.setPriority(thread, nice);
				lowered++;
			}
		} catch {
			// The thread ended meanwhile, or the system refuses: the screen only loses some priority.
		}
	}

	return lowered;
}

/**
 * Keep the background threads lowered while a screen runs: now, and every
 * few seconds for threads that start later. Returns a function that stops.
 */
export function keepBackgroundThreadsLow(everyMs = 3000): () => void {
	lowerBackgroundThreads();
	const timer = setInterval(() => lowerBackgroundThreads(), everyMs);
	timer.unref();
	return () => {
		clearInterval(timer);
	};
}
