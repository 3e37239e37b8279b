// A learning curve on CoNLL-2003 English, without and with pretrained word
// vectors, side by side in one run: for each size, the first N training
// sentences, the same seed and settings for both; the epoch and threshold
// are chosen on dev, and F1 is scored on the whole test split. Also prints
// prediction speed with and without vectors on test, one thread.
// Usage: npm run bench:curve -- --vectors TABLE [--sizes 250,500,1000,2000 --epochs 15 --dev 1000 --seed 0]
// (TABLE from `inkling vectors build`; without --vectors only the plain curve runs.)
// --variants compares settings in the same run, each a base ("plain" or
// "vectors") and changes joined by "+": depth=N, width=N, hidden=N,
// wd=RATE (word dropout), dropout=RATE, lr=RATE, bt=TOKENS (tokens per
// batch), mb=N (at least N batches an epoch), dil=D1.D2... (each
// layer's dilation; sets the depth), chars=FILTERS.WIDTH.MAXCHARS (a
// character CNN; chars=none: without one), for example
// --variants vectors,vectors+depth=4,vectors+wd=0.2,vectors+dil=1.2.4.1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadBackend, type BackendName} from '../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../source/model/data.js';
import {evaluateSentences} from '../source/model/evaluate.js';
import {NerModel} from '../source/model/model.js';
import {scoreSentences, trainNetwork} from '../source/model/train.js';
import {readVectorTable} from '../source/model/vector-table.js';
import type {WordVectors} from '../source/model/vectors.js';
import type {Task} from '../source/task/task.js';
import {charsOverride, parseChars} from './network-flags.js';

const {values: flags} = parseArgs({
	options: {
		sizes: {type: 'string', default: '250,500,1000,2000'},
		epochs: {type: 'string', default: '15'},
		dev: {type: 'string', default: '1000'},
		seed: {type: 'string', default: '0'},
		backend: {type: 'string', default: 'wasm'},
		vectors: {type: 'string'},
		'word-dropout': {type: 'string', default: '0.3'},
		variants: {type: 'string'},
	},
});

const datasets = process.env.INKLING_DATASETS ?? path.resolve(import.meta.dirname, '../../shared/datasets');
const read = (name: string) => fs.readFileSync(path.join(datasets, 'conll2003_en', name), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Task);
const backend = await loadBackend({prefer: flags.backend as BackendName});
const sizes = flags.sizes.split(',').map(Number);
console.log(`inkling learning-curve bench, ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), backend ${backend.backend}`);
console.log(`command: npm run bench:curve -- ${process.argv.slice(2).join(' ')}`);
const loadStarted = performance.now();
const table = flags.vectors ? readVectorTable(flags.vectors) : undefined;
if (table) {
	console.log(`vectors: ${table.ref!.table}, ${table.count} words x ${table.width}, read in ${((performance.now() - loadStarted) / 1000).toFixed(2)} s`);
}

const labels = ['LOC', 'MISC', 'ORG', 'PER'];
const trainTasks = read('train.jsonl');
const devTasks = read('dev.jsonl').slice(0, Number(flags.dev));
const testTasks = read('test.jsonl');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-bench-curve-'));
type Row = {size: number; variant: string; f1: number; precision: number; recall: number; epoch: number; seconds: number; trainTokensPerSecond: number; predictTokensPerSecond: number};
const rows: Row[] = [];

type Variant = {name: string; vectors: boolean; network: Record<string, number | number[] | Record<string, number> | undefined>; training: Record<string, number>};

function parseVariant(name: string): Variant {
	const [base, ...changes] = name.split('+');
	if (base !== 'plain' && base !== 'vectors') {
		throw new Error(`--variants: ${name} must start with plain or vectors`);
	}

	const variant: Variant = {
		name, vectors: base === 'vectors', network: {}, training: {},
	};
	const keys: Record<string, ['network' | 'training', string]> = {
		depth: ['network', 'depth'], width: ['network', 'width'], hidden: ['network', 'hidden'],
		wd: ['training', 'wordDropout'], dropout: ['training', 'dropout'], lr: ['training', 'learnRate'], bt: ['training', 'batchTokens'], mb: ['training', 'minBatches'],
	};
	for (const change of changes) {
		const [key, value] = change.split('=');
		if (key === 'dil' && value && /^\d+(?:\.\d+)*$/.test(value)) {
			// Dilations of the layers in order, joined by dots: dil=1.2.4.1 (the depth follows).
			variant.network.dilations = value.split('.').map(Number);
			variant.network.depth = variant.network.dilations.length;
			continue;
		}

		if (key === 'chars') {
			Object.assign(variant.network, charsOverride(parseChars(value ?? '', `--variants ${name}`)));
			continue;
		}

		const target = keys[key!];
		if (!target || value === undefined || Number.isNaN(Number(value))) {
			throw new Error(`--variants: cannot read ${change} in ${name}`);
		}

		variant[target[0]][target[1]] = Number(value);
	}

	return variant;
}

const variants = (flags.variants ?? (flags.vectors ? 'plain,vectors' : 'plain')).split(',').map(name => parseVariant(name));
if (variants.some(variant => variant.vectors) && !table) {
	throw new Error('--variants with vectors needs --vectors TABLE');
}

async function run(size: number, variant: Variant): Promise<Row> {
	const vectors = variant.vectors ? table : undefined;
	const model = NerModel.blank(labels, {seed: Number(flags.seed), ...variant.network}, vectors);
	const {config} = model.network;
	const train = prepareInputs(mergeAnswers(trainTasks.slice(0, size)), config);
	const dev = prepareInputs(mergeAnswers(devTasks), config);
	const test = prepareInputs(mergeAnswers(testTasks), config);
	const best = path.join(folder, `${size}-${variants.indexOf(variant)}`);
	let bestDev = -1;
	let bestEpoch = 0;
	let trainTokensPerSecond = 0;
	const started = performance.now();
	const steps = trainNetwork(model.network, train.sentences, {
		epochs: Number(flags.epochs), learnRate: 0.002, dropout: 0.2, wordDropout: Number(flags['word-dropout']), batchTokens: 2000, seed: Number(flags.seed), ...variant.training,
	});
	for await (const progress of steps) {
		if (progress.epochLoss === undefined) {
			continue;
		}

		trainTokensPerSecond = progress.tokensPerSecond;
		const evaluation = evaluateSentences(model.network, dev.sentences, dev.report, {tune: true});
		if (evaluation.gold!.f1 > bestDev) {
			bestDev = evaluation.gold!.f1;
			bestEpoch = progress.epoch;
			model.network.config.threshold = evaluation.threshold;
			model.save(best);
		}
	}

	const seconds = (performance.now() - started) / 1000;
	const chosen = NerModel.load(best);
	const scoreStarted = performance.now();
	scoreSentences(chosen.network, test.sentences);
	const predictTokensPerSecond = test.report.tokens / ((performance.now() - scoreStarted) / 1000);
	const gold = evaluateSentences(chosen.network, test.sentences, test.report).gold!;
	chosen.dispose();
	model.dispose();
	const row: Row = {
		size, variant: variant.name, f1: gold.f1, precision: gold.precision, recall: gold.recall, epoch: bestEpoch, seconds, trainTokensPerSecond, predictTokensPerSecond,
	};
	console.log(`${String(size).padStart(5)} sentences, ${variant.name.padEnd(10)} test F1 ${(gold.f1 * 100).toFixed(1)}  P ${(gold.precision * 100).toFixed(1)}  R ${(gold.recall * 100).toFixed(1)}  best epoch ${bestEpoch} of ${flags.epochs}, ${seconds.toFixed(0)} s, train ${Math.round(trainTokensPerSecond)} tok/s, predict ${Math.round(predictTokensPerSecond)} tok/s`);
	return row;
}

try {
	for (const size of sizes) {
		// Alternated at each size, so a slower stretch of the shared machine does not fall on one variant only.
		for (const variant of variants) {
			rows.push(await run(size, variant));
		}
	}

	console.log(`\nCoNLL-2003 test F1 by training sentences (seed ${flags.seed}, ${flags.epochs} epochs, epoch and threshold chosen on the first ${devTasks.length} dev sentences)`);
	console.log(['sentences', ...variants.map(variant => variant.name)].join('  '));
	for (const size of sizes) {
		const cells = variants.map(variant => (rows.find(row => row.size === size && row.variant === variant.name)!.f1 * 100).toFixed(1).padStart(variant.name.length));
		console.log([String(size).padStart(9), ...cells].join('  '));
	}

	console.log(JSON.stringify({backend: backend.backend, rows}));
} finally {
	fs.rmSync(folder, {recursive: true, force: true});
}
