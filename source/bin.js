#!/usr/bin/env node
// The `inkling` command: TypeScript runs through tsx's loader, so no build step is needed.
import {Worker} from 'node:worker_threads';
import {register} from 'tsx/esm/api';

// The model worker of teach starts loading TensorFlow.js now, while this thread
// loads the commands and the screen: the first question comes sooner. Unref'd,
// so it keeps nothing alive if teach stops with an error before it is used.
// React's development build is several times slower at drawing the screen.
process.env.NODE_ENV ??= 'production';

const command = process.argv[2];
if ((command === 'teach' || command === 'ner.teach') && process.stdin.isTTY && process.stdout.isTTY) {
	const worker = new Worker(new URL('recipes/teach/worker-entry.js', import.meta.url));
	worker.unref();
	globalThis.inklingTeachWorker = worker;
}

register();
const entry = new URL('../cli.tsx', import.meta.url).href;
await import(entry);
