// One fresh process: open a store and plan teach on a dataset, as `inkling teach` does before its first
// question. Prints {openMs, planMs, answeredBefore, rssMiB} as JSON. Used by bench/store-server.ts.
// Usage: node --import=tsx bench/store-open.ts <location> <dataset> <output folder>
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {planTeach} from '../source/recipes/teach/session.js';
import {openStore} from '../source/store/store.js';

const [location, dataset, output] = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, '..');
const started = performance.now();
const store = await openStore(location!);
const opened = performance.now();
const plan = await planTeach(store, {
	dataset: dataset!,
	model: path.join(root, 'models', 'job_titles'),
	source: path.join(root, 'data', 'job-ads.jsonl'),
	labels: ['JOB_TITLE'],
	exclude: [],
	prefer: 'uncertain',
	bias: 0,
	seed: 0,
	output: output!,
});
const planned = performance.now();
const rssMiB = process.memoryUsage().rss / 1024 / 1024;
store.closeSync();
console.log(JSON.stringify({
	openMs: opened - started, planMs: planned - opened, answeredBefore: plan.answeredBefore, rssMiB,
}));
process.exit(0);
