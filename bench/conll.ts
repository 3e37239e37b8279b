// Train on CoNLL-2003 English train for at most a time budget, pick the best
// epoch on dev, and report test F1 per label, training and prediction speed.
// Usage: npm run bench:conll [-- --minutes 10 --epochs 20 --seed 0 --backend wasm --workers 1 --vectors TABLE|default --chars 32.16.20|none --dilations 1,2,4,1]
// (without --vectors the model has no pretrained vectors; `default`: the default vectors' table)
// or, to score a saved model only: npm run bench:conll -- --model FOLDER
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadBackend, type BackendName} from '../source/model/backend.js';
import {defaultVectorTable} from '../source/model/default-vectors.js';
import {readVectorTable} from '../source/model/vector-table.js';
import {mergeAnswers, prepareInputs} from '../source/model/data.js';
import {evaluateSentences} from '../source/model/evaluate.js';
import {NerModel} from '../source/model/model.js';
import {defaultNetworkConfig} from '../source/model/network.js';
import {defaultScoreWorkers, ScorePool} from '../source/model/pool/pool.js';
import {scoreSentences, trainNetwork} from '../source/model/train.js';
import type {Task} from '../source/task/task.js';
import {
	charsOverride, describeChars, parseChars, parseDilations,
} from './network-flags.js';

const {values: flags} = parseArgs({
	options: {
		minutes: {type: 'string', default: '10'},
		epochs: {type: 'string', default: '22'},
		// The initial weights' and the batches' seed.
		seed: {type: 'string', default: '0'},
		backend: {type: 'string', default: 'wasm'},
		'learn-rate': {type: 'string', default: '0.002'},
		dropout: {type: 'string', default: '0.2'},
		'word-dropout': {type: 'string', default: '0.3'},
		width: {type: 'string', default: String(defaultNetworkConfig.width)},
		depth: {type: 'string', default: String(defaultNetworkConfig.depth)},
		hidden: {type: 'string', default: String(defaultNetworkConfig.hidden)},
		'batch-tokens': {type: 'string', default: '2000'},
		limit: {type: 'string'},
		save: {type: 'string'},
		workers: {type: 'string'},
		model: {type: 'string'},
		vectors: {type: 'string'},
		// A character CNN: FILTERS[.WIDTH[.MAXCHARS]]; the default model's when absent.
		chars: {type: 'string'},
		// Each window layer's dilation, such as 1,2,4,1 (the depth follows); the default model's when absent.
		dilations: {type: 'string'},
	},
});

const datasets = path.resolve(import.meta.dirname, '../../shared/datasets/conll2003_en');
const read = (name: string) => fs.readFileSync(path.join(datasets, name), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Task);
const backend = await loadBackend({prefer: flags.backend as BackendName});
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), backend ${backend.backend}`);
const labels = ['LOC', 'MISC', 'ORG', 'PER'];
const vectorTable = flags.vectors === 'default' ? await defaultVectorTable() : flags.vectors;
console.log(`vectors: ${vectorTable ?? 'none'}; seed ${flags.seed}`);
const chars = parseChars(flags.chars);
const dilations = parseDilations(flags.dilations);
console.log(`character CNN: ${describeChars(chars)}; dilations ${dilations?.join(',') ?? 'none'}`);
const model = NerModel.blank(labels, {
	width: Number(flags.width), depth: Number(flags.depth), hidden: Number(flags.hidden), seed: Number(flags.seed), ...charsOverride(chars), ...(dilations ? {dilations, depth: dilations.length} : {}),
}, vectorTable ? readVectorTable(vectorTable) : undefined);
const {config} = model.network;
const train = prepareInputs(mergeAnswers(read('train.jsonl').slice(0, flags.limit ? Number(flags.limit) : undefined)), config);
const dev = prepareInputs(mergeAnswers(read('dev.jsonl')), config);
const test = prepareInputs(mergeAnswers(read('test.jsonl')), config);
console.log(`train ${train.report.sentences} sentences, ${train.report.tokens} tokens; ${train.report.notCandidates} gold spans cannot be candidates, ${train.report.misaligned} misaligned`);

const budget = Number(flags.minutes) * 60 * 1000;
const started = performance.now();
let bestDev = -1;
let bestEpoch = 0;
// With --model, a saved model is scored instead of training one: prediction speed without the 10 minutes.
let bestFolder: string | undefined = flags.model;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-bench-conll-'));
let trainTokensPerSecond = 0;
try {
	const epochs = flags.model ? 0 : Number(flags.epochs);
	for await (const progress of trainNetwork(model.network, train.sentences, {
		epochs, learnRate: Number(flags['learn-rate']), dropout: Number(flags.dropout), wordDropout: Number(flags['word-dropout']), batchTokens: Number(flags['batch-tokens']), seed: Number(flags.seed),
	})) {
		const elapsed = performance.now() - started;
		if (progress.epochLoss !== undefined) {
			trainTokensPerSecond = progress.tokensPerSecond;
			const devEvaluation = evaluateSentences(model.network, dev.sentences, dev.report, {tune: true});
			const devScores = devEvaluation.gold!;
			const better = devScores.f1 > bestDev;
			if (better) {
				model.network.config.threshold = devEvaluation.threshold;
				bestDev = devScores.f1;
				bestEpoch = progress.epoch;
				bestFolder = path.join(folder, 'best');
				model.save(bestFolder);
			}

			console.log(`epoch ${progress.epoch}  loss ${progress.epochLoss.toFixed(4)}  dev F1 ${(devScores.f1 * 100).toFixed(2)} at threshold ${devEvaluation.threshold}${better ? ' (best)' : ''}  ${Math.round(progress.tokensPerSecond)} train tokens/s  ${(elapsed / 1000).toFixed(0)} s`);
		}

		if (elapsed > budget) {
			console.log(`time budget of ${flags.minutes} minutes reached in epoch ${progress.epoch}, batch ${progress.batch}/${progress.batches}`);
			break;
		}
	}

	const trainingSeconds = (performance.now() - started) / 1000;
	const best = NerModel.load(bestFolder!);
	const evaluation = evaluateSentences(best.network, test.sentences, test.report);
	// Prediction timed three times; the median is reported (single runs vary by about 10% on a shared machine).
	let scores: Float32Array[] = [];
	const runs: number[] = [];
	for (let run = 0; run < 3; run++) {
		const scoreStart = performance.now();
		scores = scoreSentences(best.network, test.sentences);
		runs.push((performance.now() - scoreStart) / 1000);
	}

	const scoreSeconds = [...runs].sort((a, b) => a - b)[1]!;
	// The same with helper threads (eval's default on wasm and cpu), loaded and warmed up first, as this thread is.
	const pool = ScorePool.start(bestFolder!, {backend: backend.backend, workers: flags.workers === undefined ? defaultScoreWorkers(backend.backend) : Number(flags.workers)});
	const helpers = await pool.loaded();
	const poolRuns: number[] = [];
	for (let run = 0; run < 4; run++) {
		const scoreStart = performance.now();
		const pooled = await pool.score(best.network, test.sentences);
		if (run > 0) {
			poolRuns.push((performance.now() - scoreStart) / 1000);
		}

		if (pooled.some((part, index) => part.some((value, at) => value !== scores[index]![at]))) {
			throw new Error('The helper threads scored differently from this thread.');
		}
	}

	await pool.close();
	const poolSeconds = [...poolRuns].sort((a, b) => a - b)[1]!;
	const candidates = scores.reduce((sum, part) => sum + (part.length / labels.length), 0);
	const gold = evaluation.gold!;
	console.log(flags.model ? `\n${flags.model}, threshold ${best.network.config.threshold ?? 0.5}` : `\nbest epoch ${bestEpoch} (dev F1 ${(bestDev * 100).toFixed(2)}, threshold ${best.network.config.threshold ?? 0.5} chosen on dev), trained ${trainingSeconds.toFixed(0)} s`);
	console.log('test     P      R      F1');
	for (const [label, s] of Object.entries(gold.per_label)) {
		console.log(`${label.padEnd(5)}  ${(s.precision * 100).toFixed(2)}  ${(s.recall * 100).toFixed(2)}  ${(s.f1 * 100).toFixed(2)}`);
	}

	console.log(`all    ${(gold.precision * 100).toFixed(2)}  ${(gold.recall * 100).toFixed(2)}  ${(gold.f1 * 100).toFixed(2)}`);
	console.log(`training: ${Math.round(trainTokensPerSecond)} tokens/s (last epoch)`);
	console.log(`prediction, one thread: ${Math.round(test.report.tokens / scoreSeconds)} tokens/s scoring all ${Math.round(candidates)} candidates of test (${test.report.tokens} tokens, median of 3 runs: ${runs.map(seconds => seconds.toFixed(2)).join(', ')} s)`);
	console.log(`prediction, with ${helpers} helper thread${helpers === 1 ? '' : 's'} (as eval): ${Math.round(test.report.tokens / poolSeconds)} tokens/s (median of 3 runs after a warm-up: ${poolRuns.map(seconds => seconds.toFixed(2)).join(', ')} s; the same probabilities)`);
	console.log(JSON.stringify({
		backend: backend.backend, f1: gold.f1, precision: gold.precision, recall: gold.recall, per_label: Object.fromEntries(Object.entries(gold.per_label).map(([k, v]) => [k, v.f1])), bestEpoch, trainingSeconds, trainTokensPerSecond, predictTokensPerSecond: test.report.tokens / scoreSeconds, predictWithHelpersTokensPerSecond: test.report.tokens / poolSeconds, helpers,
	}));
	if (flags.save) {
		best.save(flags.save);
	}

	best.dispose();
} finally {
	fs.rmSync(folder, {recursive: true, force: true});
	model.dispose();
}
