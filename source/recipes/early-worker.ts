import {Worker} from 'node:worker_threads';

/**
 * The worker for `entry` (a worker-entry.js URL): the one bin.js started
 * early for this command, if it did (it has been loading TensorFlow.js
 * meanwhile), else a new one.
 */
export function takeWorker(entry: URL): Worker {
	const global = globalThis as {inklingEarlyWorker?: {entry: string; worker: Worker}};
	const early = global.inklingEarlyWorker;
	global.inklingEarlyWorker = undefined;
	if (early && entry.href.endsWith(early.entry)) {
		early.worker.ref();
		return early.worker;
	}

	void early?.worker.terminate();
	return new Worker(entry);
}
