import fs from 'node:fs';
import os from 'node:os';
import {Worker} from 'node:worker_threads';
import test from 'ava';
import {backgroundNice, lowerBackgroundThreads} from '../../source/recipes/thread-priority.js';

const threads = () => fs.readdirSync('/proc/self/task').map(Number).filter(thread => thread !== process.pid);

// Thread ids in /proc and per-thread niceness are Linux's.
const onLinux = process.platform === 'linux' ? test : test.skip;

onLinux('every thread but the main one is lowered, and the main thread keeps its priority', async t => {
	const main = os.getPriority(process.pid);
	const worker = new Worker('setInterval(() => {}, 1000)', {eval: true});
	await new Promise(resolve => {
		worker.once('online', resolve);
	});
	try {
		const before = threads();
		t.true(before.length > 1, 'a worker and V8 helper threads run');
		lowerBackgroundThreads();
		const after = threads();
		for (const thread of after.filter(id => before.includes(id))) {
			t.true(os.getPriority(thread) >= backgroundNice, `thread ${thread} is at nice ${os.getPriority(thread)}`);
		}

		t.is(os.getPriority(process.pid), main);
		// A second call finds nothing left to lower.
		t.is(lowerBackgroundThreads(), 0);
	} finally {
		await worker.terminate();
	}
});
