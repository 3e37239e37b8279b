// Loaded into the CLI by `bench:teach-latency --trace` (through NODE_OPTIONS):
// records, on the screen's thread, when input came in, when each write to the
// terminal started and ended, when the model worker's messages were handled,
// garbage collections, and at each input and write, the thread's CPU time
// and time spent waiting for a CPU so far; written as JSON to $INKLING_KEY_TRACE at exit.
// Times are CLOCK_MONOTONIC milliseconds (process.hrtime), the same clock in
// every process, so the benchmark can set them beside its own.
import fs from 'node:fs';
import {PerformanceObserver} from 'node:perf_hooks';
import {isMainThread, Worker} from 'node:worker_threads';

const file = process.env.INKLING_KEY_TRACE;
if (file && isMainThread && process.argv[1]?.endsWith('bin.js')) {
	const now = () => Number(process.hrtime.bigint()) / 1e6;
	// Where performance.now()'s zero is on the monotonic clock (GC entries are timed on it).
	const origin = now() - performance.now();
	const events = [];
	// This thread's CPU time and time waiting for a CPU so far (ns, from the scheduler's statistics; Linux only).
	const statFile = `/proc/self/task/${process.pid}/schedstat`;
	const scheduled = () => {
		try {
			const [ran, waited] = fs.readFileSync(statFile, 'utf8').split(' ').map(Number);
			return {ran: ran / 1e6, waited: waited / 1e6};
		} catch {
			return undefined;
		}
	};

	const {stdin} = process;
	const emit = stdin.emit.bind(stdin);
	stdin.emit = (name, ...rest) => {
		if (name === 'readable' || name === 'data') {
			events.push({type: 'in', at: now(), cpu: scheduled()});
		}

		return emit(name, ...rest);
	};

	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = (chunk, ...rest) => {
		const at = now();
		const result = write(chunk, ...rest);
		events.push({
			type: 'out', at, end: now(), bytes: String(chunk).length, cpu: scheduled(),
		});
		return result;
	};

	// Writes to files (the store's journal) that took over a millisecond: a write can wait on the disk.
	for (const name of ['writeSync', 'fdatasyncSync', 'openSync', 'closeSync']) {
		const original = fs[name];
		fs[name] = (...arguments_) => {
			const at = now();
			const result = original(...arguments_);
			const end = now();
			if (end - at > 1) {
				events.push({
					type: 'file', at, end, kind: name,
				});
			}

			return result;
		};
	}

	const workerEmit = Worker.prototype.emit;
	Worker.prototype.emit = function (name, message, ...rest) {
		const at = now();
		const result = workerEmit.call(this, name, message, ...rest);
		if (name === 'message') {
			events.push({
				type: 'message', at, end: now(), kind: message?.type,
			});
		}

		return result;
	};

	const gcKinds = {
		1: 'minor', 4: 'major', 8: 'incremental', 16: 'weak callbacks',
	};
	new PerformanceObserver(list => {
		for (const entry of list.getEntries()) {
			const kind = gcKinds[entry.detail?.kind] ?? String(entry.detail?.kind);
			events.push({
				type: 'gc', at: origin + entry.startTime, end: origin + entry.startTime + entry.duration, kind,
			});
		}
	}).observe({entryTypes: ['gc']});

	process.on('exit', () => {
		fs.writeFileSync(file, JSON.stringify(events));
	});
}
