#!/usr/bin/env node
// The `inkling` command: TypeScript runs through tsx's loader, so no build step is needed.
import {Worker} from 'node:worker_threads';
import {register} from 'tsx/esm/api';

// React's development build is several times slower at drawing the screen.
process.env.NODE_ENV ??= 'production';

// The model worker of teach and eval-ab starts loading TensorFlow.js now,
// while this thread loads the commands and the screen: the first question
// comes sooner. Unref'd, so it keeps nothing alive if the command stops with
// an error before it is used.
const workers = {
	teach: 'recipes/teach/worker-entry.js',
	'ner.teach': 'recipes/teach/worker-entry.js',
	'eval-ab': 'recipes/eval-ab/worker-entry.js',
	'ner.eval-ab': 'recipes/eval-ab/worker-entry.js',
};
const early = workers[process.argv[2]];
if (early && process.stdin.isTTY && process.stdout.isTTY && !process.argv.includes('--summary')) {
	// Ink draws only a last frame when CI is set; these screens are interactive,
	// and run only on a terminal, so they draw as on any terminal.
	process.env.CI = 'false';
	process.env.CONTINUOUS_INTEGRATION = 'false';
	const worker = new Worker(new URL(early, import.meta.url));
	worker.unref();
	globalThis.inklingEarlyWorker = {entry: early, worker};
}

register();
const entry = new URL('../cli.tsx', import.meta.url).href;
await import(entry);
