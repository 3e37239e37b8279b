import fs from 'node:fs';
import os from 'node:os';
import {setTimeout as sleep} from 'node:timers/promises';

/** Releases a lock taken with `tryLock` or `lock`. */
export type Release = () => void;

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Whether the lock file was left by a process that is gone (crashed, killed). */
function isStale(file: string): boolean {
	let content: string;
	let stat: fs.Stats;
	try {
		content = fs.readFileSync(file, 'utf8');
		stat = fs.statSync(file);
	} catch {
		return false; // Gone already, or unreadable: try again later
	}

	const [pid, host] = content.split('\n');
	if (!pid) {
		// Created but not yet written, or its writer died in between.
		return Date.now() - stat.mtimeMs > 10_000;
	}

	return host === os.hostname() && !isAlive(Number(pid));
}

/** Take the lock file at once, or return undefined when another live process holds it. */
export function tryLock(file: string): Release | undefined {
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = fs.openSync(file, 'wx');
			fs.writeSync(fd, `${process.pid}\n${os.hostname()}\n`);
			fs.closeSync(fd);
			let released = false;
			return () => {
				if (!released) {
					released = true;
					fs.rmSync(file, {force: true});
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}

			if (!isStale(file) || !removeStale(file)) {
				return undefined;
			}
		}
	}

	return undefined;
}

/**
 * Remove a stale lock file, if it is still stale once this process alone may
 * remove it: two processes that both judged it stale would otherwise race,
 * and the second could remove the lock the first had just taken. A reaper
 * file, created exclusively and held for microseconds, lets one at a time
 * look again and remove; one left by a process killed in between is taken
 * as stale after 10 s. Returns whether the stale lock is gone.
 */
export function removeStale(file: string): boolean {
	const reaper = `${file}.reap`;
	let fd: number;
	try {
		fd = fs.openSync(reaper, 'wx');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw error;
		}

		try {
			if (Date.now() - fs.statSync(reaper).mtimeMs > 10_000) {
				fs.rmSync(reaper, {force: true});
			}
		} catch {
			// Gone meanwhile.
		}

		return false;
	}

	try {
		if (!isStale(file)) {
			return false;
		}

		fs.rmSync(file, {force: true});
		return true;
	} finally {
		fs.closeSync(fd);
		fs.rmSync(reaper, {force: true});
	}
}

/** Take the lock file, waiting up to `timeout` ms; undefined if it stayed taken. */
export async function lock(file: string, timeout: number): Promise<Release | undefined> {
	const until = Date.now() + timeout;
	for (;;) {
		const release = tryLock(file);
		if (release !== undefined || Date.now() >= until) {
			return release;
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(20);
	}
}
