#!/usr/bin/env node
// The `inkling` command. Installed, it runs as built by `npm run build`
// (dist/source/bin.js beside dist/cli.js); from the source tree, in a
// checkout, through tsx's loader (a development dependency).
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';

// React's development build is several times slower at drawing the screen.
process.env.NODE_ENV ??= 'production';

const built = new URL('../cli.js', import.meta.url);
const sourceFolder = new URL('.', import.meta.url);
const isBuilt = fs.existsSync(fileURLToPath(built));
if (!isBuilt) {
	const {register} = await import('tsx/esm/api');
	register();
}

const {screenOf} = await import('./screens.js');
const command = process.argv[2];
const screen = screenOf(command);
if (screen && process.stdin.isTTY && process.stdout.isTTY && !process.argv.includes('--summary') && !process.argv.includes('--help')) {
	// Ink draws only a last frame, and chalk no colour, when CI is set; these
	// screens are interactive, and run only on a terminal, so they draw as on any terminal.
	for (const name of Object.keys(process.env)) {
		if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) {
			delete process.env[name];
		}
	}

	// The model worker of the screen's session starts loading TensorFlow.js
	// now, while this thread loads the commands and the screen: the first
	// question comes sooner. Unref'd, so it keeps nothing alive if the command
	// stops with an error before it is used.
	if (screen.worker) {
		const worker = new Worker(new URL(screen.worker, sourceFolder));
		worker.unref();
		globalThis.inklingEarlyWorker = {entry: screen.worker, worker};
	}
}

// The first scoring helper of eval and print-stream (see model/pool) starts
// loading TensorFlow.js now too, so that it is ready when the data is, when
// the data is a file big enough for helpers (these commands run without a
// terminal as well). Unref'd, and ended if it is not used.
const workersFlag = /--workers[= ](\d+)/u.exec(process.argv.join(' '));
if (['eval', 'print-stream', 'ner.print-stream'].includes(command) && workersFlag?.[1] !== '0' && !process.argv.includes('--help') && process.argv.slice(3).some(argument => bigFile(argument))) {
	const early = 'model/pool/worker-entry.js';
	const worker = new Worker(new URL(early, sourceFolder));
	worker.unref();
	globalThis.inklingEarlyWorker = {entry: early, worker};
}

/** Whether an argument names a file of over 50,000 bytes (as `poolCharacters` in commands/scoring-threads.ts). */
function bigFile(argument) {
	try {
		return fs.statSync(argument).size > 50_000;
	} catch {
		return false;
	}
}

await import(isBuilt ? built.href : new URL('../cli.tsx', import.meta.url).href);
