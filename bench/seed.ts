// The story inkling exists for, simulated: a base model trained on some gold
// data, then teach for 700 answers from a simulated annotator (accept exactly
// the gold spans of the label), then batch training as the Prodigy user did
// (`train answers base -es 0.2`) and with the base's gold (`train G,answers base`),
// all scored on the gold test split with a paired bootstrap; and a blind A/B
// simulated from gold. Controls: 700 random questions, and 140 more gold
// sentences instead (a yes/no answer costs about a fifth of a full sentence).
// Usage: npm run bench:seed -- [--task designation,org,per] [--seeds 3] [--answers 700]
//   [--train FILE --test FILE --label L --gold-count N] [--cache DIR] [--json out.json]
//   [--no-distill] [--controls random,gold] [--report a.json,b.json] [--vectors TABLE] [--keep DIR] [--eval-gold FILE]
//   [--from-base-learn-rate RATE] [--min-batches N]
// With --vectors (a table from `inkling vectors build`; `default` for the
// default vectors' table), the base models use pretrained vectors, as
// `train ... blank` does by default; without it they have none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadBackend, type BackendName} from '../source/model/backend.js';
import {chunkSentence, mergeAnswers} from '../source/model/data.js';
import {defaultVectorTable} from '../source/model/default-vectors.js';
import {NerModel} from '../source/model/model.js';
import {seededRandom} from '../source/model/random.js';
import {compareModels} from '../source/recipes/compare.js';
import {simulateTeach} from '../source/commands/teach-simulate.js';
import {planTeach, TeachSession} from '../source/recipes/teach/session.js';
import {GoldAnnotator} from '../source/recipes/teach/simulate.js';
import type {LoopTuning} from '../source/recipes/teach/types.js';
import {Database} from '../source/store/database.js';
import {JsonStore} from '../source/store/store.js';
import {
	trainRecipe, verdictOf, type TrainRecipeOptions, type TrainResult,
} from '../source/recipes/train.js';
import {lossesText, markedSpans} from '../source/recipes/losses.js';
import type {Span, Task} from '../source/task/task.js';
import {splitSentences} from '../source/text/sentences.js';
import {Annotator} from './simulated-annotator.js';
import {temporaryFolderFor} from './temporary.js';

const {values: flags} = parseArgs({
	options: {
		task: {type: 'string', default: 'designation,org,per'},
		train: {type: 'string'},
		test: {type: 'string'},
		label: {type: 'string'},
		'gold-count': {type: 'string'},
		seeds: {type: 'string', default: '3'},
		'first-seed': {type: 'string', default: '0'},
		answers: {type: 'string', default: '700'},
		controls: {type: 'string', default: 'random,gold'},
		// Train with the in-loop and batch-training distillation turned off (the workflow as it was).
		'no-distill': {type: 'boolean', default: false},
		// Milliseconds between simulated answers (the in-loop model learns in the pauses, as with a person); 0: each answer waits for the model to learn from those before it.
		pace: {type: 'string', default: '0'},
		'learn-rate': {type: 'string'},
		// The learning rate of the models trained from the base (train's default when absent).
		'from-base-learn-rate': {type: 'string'},
		// Small data is cut into at least this many batches an epoch (train's default when absent), in every training.
		'min-batches': {type: 'string'},
		steps: {type: 'string'},
		epochs: {type: 'string'},
		// Keep base models here (by task, seed and size) so later runs skip training them.
		cache: {type: 'string'},
		backend: {type: 'string', default: 'wasm'},
		json: {type: 'string'},
		vectors: {type: 'string'},
		// Keep every run's models and answers in this folder (it is not removed), to study them after.
		keep: {type: 'string'},
		// A gold file (of the task's label) that the models trained from the base are judged on with -e, as the
		// README's workflow does with a gold set made by `correct`; without it they hold out 20% (-es 0.2).
		'eval-gold': {type: 'string'},
		// Print the tables of earlier --json files (comma-separated), runs of a task together, without running anything.
		report: {type: 'string'},
	},
});

type BenchTask = {name: string; label: string; train: string; test: string; goldCount: number};

const datasets = path.resolve(import.meta.dirname, '../../shared/datasets');
const known: Record<string, BenchTask> = {
	designation: {
		name: 'designation', label: 'Designation', train: path.join(datasets, 'dotin_resumes/train.jsonl'), test: path.join(datasets, 'dotin_resumes/test.jsonl'), goldCount: 84,
	},
	org: {
		name: 'org', label: 'ORG', train: path.join(datasets, 'conll2003_en/train.jsonl'), test: path.join(datasets, 'conll2003_en/test.jsonl'), goldCount: 1000,
	},
	per: {
		name: 'per', label: 'PER', train: path.join(datasets, 'conll2003_en/train.jsonl'), test: path.join(datasets, 'conll2003_en/test.jsonl'), goldCount: 1000,
	},
};

const tasks: BenchTask[] = flags.train
	? [{
		name: path.basename(flags.train), label: flags.label ?? '', train: flags.train, test: flags.test ?? '', goldCount: Number(flags['gold-count'] ?? 500),
	}]
	: flags.task.split(',').map(name => {
		const task = known[name.trim()];
		if (!task) {
			console.error(`--task: unknown task ${name}; use ${Object.keys(known).join(', ')}, or --train FILE --test FILE --label L`);
			process.exit(2);
		}

		return {...task, goldCount: Number(flags['gold-count'] ?? task.goldCount)};
	});
if (flags.train && (!flags.test || !flags.label)) {
	console.error('--train needs --test FILE and --label L too');
	process.exit(2);
}

const vectorTable = flags.vectors === 'default' ? await defaultVectorTable() : flags.vectors;
if (flags.vectors && !vectorTable) {
	console.error('--vectors default: the default vectors are not installed (npm install)');
	process.exit(2);
}

const seeds = Number(flags.seeds);
const firstSeed = Number(flags['first-seed']);
const maxAnswers = Number(flags.answers);
const controls = new Set(flags.controls.split(',').filter(Boolean));
const distill = !flags['no-distill'];
const epochs = flags.epochs === undefined ? undefined : Number(flags.epochs);
const pace = Number(flags.pace);
const tuning: LoopTuning = {
	...(flags['learn-rate'] === undefined ? {} : {learnRate: Number(flags['learn-rate'])}),
	...(flags.steps === undefined ? {} : {steps: Number(flags.steps)}),
	...(distill ? {} : {distill: 0}),
};

type Item = {text: string; spans: Span[]};
const readItems = (file: string, label: string): Item[] => fs.readFileSync(file, 'utf8').trim().split('\n').map(line => {
	const item = JSON.parse(line) as Item;
	return {text: item.text, spans: (item.spans ?? []).filter(span => span.label === label).map(span => ({start: span.start, end: span.end, label}))};
});
const goldTask = (item: Item): Task => ({text: item.text, spans: item.spans, answer: 'accept'});
const writeJsonl = (file: string, rows: readonly unknown[]) => {
	fs.writeFileSync(file, rows.map(row => JSON.stringify(row)).join('\n') + '\n');
};

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function train(options: TrainRecipeOptions): Promise<TrainResult> {
	const fromBaseRate = options.base !== 'blank' && flags['from-base-learn-rate'] !== undefined ? {learnRate: Number(flags['from-base-learn-rate'])} : {};
	const run = trainRecipe(undefined, {
		...options, ...(epochs === undefined ? {} : {epochs}), ...(distill ? {} : {distill: 0}), ...fromBaseRate,
		...(flags['min-batches'] === undefined ? {} : {minBatches: Number(flags['min-batches'])}),
	});
	for (;;) {
		const step = await run.next();
		if (step.done) {
			return step.value;
		}
	}
}

type Simulation = {answers: Task[]; accepted: number; inLoop: string; seconds: number; exhausted: boolean; updates: number};

/**
 * Teach from the base model over the pool, headless: the real session (its
 * worker, selection, reserve and updates) and the screen's reducer, answered
 * from the pool's hidden gold at `--pace`, as `teach --simulate-from` runs it.
 */
async function simulate(baseFolder: string, poolFile: string, annotator: GoldAnnotator, label: string, seed: number, prefer: 'uncertain' | 'random', folder: string): Promise<Simulation> {
	const started = performance.now();
	const database = JsonStore.open(path.join(folder, 'teach.json'));
	const plan = await planTeach(database, {
		dataset: 'teach',
		model: baseFolder,
		source: poolFile,
		labels: [label],
		exclude: [],
		prefer,
		bias: 0,
		seed,
		output: path.join(folder, 'in-loop'),
		freshModel: true,
		...(Object.keys(tuning).length > 0 ? {tuning} : {}),
	});
	const session = await TeachSession.start(database, plan);
	const result = await simulateTeach(session, annotator, {answers: maxAnswers, paceMs: pace});
	const closing = performance.now();
	const saved = await session.close(120_000);
	const closeSeconds = (performance.now() - closing) / 1000;
	if (closeSeconds > 5) {
		console.log(`  (closing the session took ${closeSeconds.toFixed(1)} s)`);
	}

	if (!saved || result.error) {
		throw new Error(`teach did not finish: ${result.error ?? 'the in-loop model was not saved'}`);
	}

	const stored = Database.open(path.join(folder, 'teach.json'));
	const answers = stored.examples('teach').map(example => example.task);
	await stored.close();
	return {
		answers, accepted: result.accepted, inLoop: saved, seconds: (performance.now() - started) / 1000, exhausted: result.exhausted, updates: result.status?.updates ?? 0,
	};
}

/** The sentences of test texts with their gold spans, cut as the model cuts them. */
function testSentences(items: readonly Item[]): Item[] {
	return items.flatMap(item => splitSentences(item.text).flatMap(whole => chunkSentence(whole, item.spans)).map(piece => ({
		text: piece.text,
		spans: item.spans.filter(span => span.start >= piece.start && span.end <= piece.end).map(span => ({...span, start: span.start - piece.start, end: span.end - piece.start})),
	})));
}

type AbResult = {
	newWins: number; oldWins: number; ties: number; differing: number;
	/** The same judged on every differing sentence, not only 100: the sharper figure. */
	allNewWins: number; allOldWins: number;
};

/**
 * The blind A/B, simulated: of the test sentences where the two models'
 * spans differ, 100 drawn at random (the story's 100 judgements); the model
 * with fewer errors (spans wrong plus spans missed) on a sentence wins it.
 * Every differing sentence is judged too, for a figure with less noise.
 */
function simulateAb(oldFolder: string, newFolder: string, sentences: readonly Item[], seed: number): AbResult {
	const older = NerModel.load(oldFolder);
	const newer = NerModel.load(newFolder);
	try {
		const texts = sentences.map(sentence => sentence.text);
		const a = older.predict(texts);
		const b = newer.predict(texts);
		const key = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label}`;
		const differing = sentences.flatMap((sentence, index) => {
			const oldKeys = a[index]!.map(span => key(span)).sort().join(' ');
			const newKeys = b[index]!.map(span => key(span)).sort().join(' ');
			return oldKeys === newKeys ? [] : [index];
		});
		const random = seededRandom(seed + 301);
		for (let index = differing.length - 1; index > 0; index--) {
			const other = Math.floor(random() * (index + 1));
			[differing[index], differing[other]] = [differing[other]!, differing[index]!];
		}

		const errors = (predicted: ReadonlyArray<{start: number; end: number; label: string}>, gold: readonly Span[]) => {
			const goldKeys = new Set(gold.map(span => key(span)));
			const predictedKeys = new Set(predicted.map(span => key(span)));
			return [...predictedKeys].filter(k => !goldKeys.has(k)).length + [...goldKeys].filter(k => !predictedKeys.has(k)).length;
		};

		const result: AbResult = {
			newWins: 0, oldWins: 0, ties: 0, differing: differing.length, allNewWins: 0, allOldWins: 0,
		};
		for (const [position, index] of differing.entries()) {
			const oldErrors = errors(a[index]!, sentences[index]!.spans);
			const newErrors = errors(b[index]!, sentences[index]!.spans);
			const drawn = position < 100;
			if (newErrors < oldErrors) {
				result.allNewWins++;
				result.newWins += drawn ? 1 : 0;
			} else if (oldErrors < newErrors) {
				result.allOldWins++;
				result.oldWins += drawn ? 1 : 0;
			} else {
				result.ties += drawn ? 1 : 0;
			}
		}

		return result;
	} finally {
		older.dispose();
		newer.dispose();
	}
}

type Counts = {tp: number; fp: number; fn: number};
type SeedRun = {
	seed: number;
	/** F1 per model, and each model's counts per test input (for the bootstrap over seeds and inputs). */
	f1: Record<string, number>;
	precision: Record<string, number>;
	recall: Record<string, number>;
	/** The paired bootstrap interval of each model's F1 minus the base's, on this run. */
	interval: Record<string, {low: number; high: number}>;
	items: Record<string, Counts[]>;
	ab: AbResult;
	/** The same A/B for the model trained on the base's gold and the answers (`train G,answers base`), when there is one. */
	goldAb?: AbResult;
	/** What `train answers base` told the user: its F1 verdict and the held-out gold sentence by sentence. */
	verdict?: {verdict: string; wins: number; losses: number; ties: number};
	teach: {answers: number; accepted: number; seconds: number};
	random?: {answers: number; accepted: number};
	threshold: Record<string, number>;
	seconds: number;
};

/** A/B results over seeds, judged on every differing sentence: "158 of 292 (54%); per seed 47-36, 61-53, 50-45". */
function everyDiffering(results: readonly AbResult[]): string {
	const wins = results.reduce((sum, result) => sum + result.allNewWins, 0);
	const losses = results.reduce((sum, result) => sum + result.allOldWins, 0);
	return `${wins} of ${wins + losses} (${(100 * wins / Math.max(1, wins + losses)).toFixed(0)}%); per seed ${results.map(result => `${result.allNewWins}-${result.allOldWins}`).join(', ')}`;
}

const f1Of = (tp: number, fp: number, fn: number) => ((2 * tp) + fp + fn === 0 ? 0 : 2 * tp / ((2 * tp) + fp + fn));

/**
 * The mean over seeds of a model's F1 minus the base's, with a 95% interval
 * that resamples both the seeds and the test inputs, so training variance
 * counts as well as the test's sampling.
 */
function overSeeds(runs: readonly SeedRun[], model: string, reference = 'base', iterations = 1000): {mean: number; low: number; high: number} {
	const difference = (run: SeedRun, draws: Uint32Array | undefined) => {
		const sum = (items: readonly Counts[]) => {
			let tp = 0;
			let fp = 0;
			let fn = 0;
			const count = draws ? draws.length : items.length;
			for (let index = 0; index < count; index++) {
				const item = items[draws ? draws[index]! : index]!;
				tp += item.tp;
				fp += item.fp;
				fn += item.fn;
			}

			return f1Of(tp, fp, fn);
		};

		return sum(run.items[model]!) - sum(run.items[reference]!);
	};

	const central = mean(runs.map(run => difference(run, undefined)));
	const random = seededRandom(17);
	const inputs = runs[0]!.items.base!.length;
	const samples: number[] = [];
	for (let iteration = 0; iteration < iterations; iteration++) {
		const draws = Uint32Array.from({length: inputs}, () => Math.floor(random() * inputs));
		const drawn = Array.from({length: runs.length}, () => runs[Math.floor(random() * runs.length)]!);
		samples.push(mean(drawn.map(run => difference(run, draws))));
	}

	samples.sort((a, b) => a - b);
	return {mean: central, low: samples[Math.floor(iterations * 0.025)]!, high: samples[Math.ceil(iterations * 0.975) - 1]!};
}

/** The table of a task's runs: F1 per model, mean and range over seeds, and each model against the base. */
function summarize(task: BenchTask, runs: readonly SeedRun[]): void {
	const names = Object.keys(runs[0]!.f1);
	const percent = (value: number) => (value * 100).toFixed(1).padStart(5);
	console.log(`\n${task.name} (${task.label}), ${runs.length} seeds (${runs.map(run => run.seed).join(', ')}): F1 on test, mean (min..max); difference from base, mean and 95% CI over seeds and test inputs`);
	for (const name of names) {
		const values = runs.map(run => run.f1[name]!);
		const line = `  ${name.padEnd(15)} ${percent(mean(values))} (${percent(Math.min(...values))}..${percent(Math.max(...values))})`;
		if (name === 'base') {
			console.log(line);
			continue;
		}

		const {mean: difference, low, high} = overSeeds(runs, name);
		const worse = runs.filter(run => run.interval[name]!.high < 0).length;
		const better = runs.filter(run => run.interval[name]!.low > 0).length;
		console.log(`${line}  ${difference >= 0 ? '+' : ''}${(difference * 100).toFixed(1)} (${(low * 100).toFixed(1)}..${(high * 100).toFixed(1)})  runs significantly better ${better}, worse ${worse}`);
	}

	for (const control of ['random answers', 'gold+140 gold'].filter(name => names.includes(name))) {
		const {mean: difference, low, high} = overSeeds(runs, 'answers', control);
		console.log(`  teach's answers against ${control}: ${difference >= 0 ? '+' : ''}${(difference * 100).toFixed(1)} (${(low * 100).toFixed(1)}..${(high * 100).toFixed(1)})`);
	}

	const wins = runs.reduce((sum, run) => sum + run.ab.newWins, 0);
	const losses = runs.reduce((sum, run) => sum + run.ab.oldWins, 0);
	console.log(`  simulated A/B (base vs answers model): the new model wins ${wins} of ${wins + losses} non-tied (${(100 * wins / Math.max(1, wins + losses)).toFixed(0)}%)`);
	// Runs saved before these fields were recorded have neither.
	if (runs.every(run => run.ab.allNewWins !== undefined)) {
		console.log(`  the same on every differing test sentence: ${everyDiffering(runs.map(run => run.ab))}`);
	}

	if (runs.every(run => run.goldAb)) {
		console.log(`  the gold+answers model, on every differing test sentence: ${everyDiffering(runs.map(run => run.goldAb!))}`);
	}

	if (runs.every(run => run.verdict)) {
		// Does what train told the user (on the held-out gold) point the way the A/B on test went?
		const told = runs.map(run => `${run.verdict!.verdict}, sentences ${run.verdict!.wins}-${run.verdict!.losses}`);
		console.log(`  train's verdict on the held-out gold, per seed: ${told.join('; ')}`);
	}
}

if (flags.report) {
	// The tables of earlier runs' --json files, their runs of each task together (seeds run apart, on one machine).
	const byTask = new Map<string, {task: BenchTask; runs: SeedRun[]}>();
	for (const file of flags.report.split(',')) {
		const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as {report: Record<string, {task: BenchTask; runs: SeedRun[]}>};
		for (const {task, runs} of Object.values(saved.report)) {
			const entry = byTask.get(task.name) ?? {task, runs: []};
			entry.runs.push(...runs);
			byTask.set(task.name, entry);
		}
	}

	for (const {task, runs} of byTask.values()) {
		summarize(task, runs.sort((a, b) => a.seed - b.seed));
	}

	process.exit(0);
}

const backend = await loadBackend({prefer: flags.backend as BackendName});
console.log(`inkling seed-workflow bench, ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), backend ${backend.backend}`);
console.log(`command: npm run bench:seed -- ${process.argv.slice(2).join(' ')}`);
console.log(`${maxAnswers} answers a teach session; seeds ${firstSeed}-${firstSeed + seeds - 1} (base, teach and training each); distillation ${distill ? 'on' : 'off'}`);
console.log(`base models: ${vectorTable ? `pretrained vectors from ${vectorTable}` : 'no pretrained vectors'}`);

const kept = flags.keep ? path.resolve(flags.keep) : undefined;
const keepFolder = () => undefined;
const temporary = kept ? {path: kept, remove: keepFolder} : temporaryFolderFor('seed');
fs.mkdirSync(temporary.path, {recursive: true});
const report: Record<string, {task: BenchTask; runs: SeedRun[]}> = {};
const benchStart = performance.now();
try {
	for (const task of tasks) {
		const all = readItems(task.train, task.label);
		const goldItems = all.slice(0, task.goldCount);
		const pool = all.slice(task.goldCount);
		const test = readItems(task.test, task.label);
		const testTasks = test.map(item => goldTask(item));
		const sentences = testSentences(test);
		const folder = path.join(temporary.path, task.name);
		fs.mkdirSync(folder, {recursive: true});
		// In the cache, with the base models: a base records where its data is, and training from it rehearses that.
		const goldFile = path.join(flags.cache ?? folder, `${task.name}-${path.basename(task.train)}-${task.goldCount}-gold.jsonl`);
		fs.mkdirSync(path.dirname(goldFile), {recursive: true});
		writeJsonl(goldFile, goldItems.map(item => goldTask(item)));
		// 140 more gold sentences: the pool's first sentences, as teach would read them.
		const annotator = new Annotator(pool);
		const moreGold: Item[] = [];
		for (let line = 0; line < pool.length && moreGold.length < 140; line++) {
			moreGold.push(...annotator.piecesOf(line).slice(0, 140 - moreGold.length));
		}

		const evalGoldFile = flags['eval-gold'] ? path.join(folder, 'eval-gold.jsonl') : undefined;
		if (evalGoldFile) {
			writeJsonl(evalGoldFile, readItems(flags['eval-gold']!, task.label).map(item => goldTask(item)));
		}

		// How the models trained from the base are judged: the gold file, or a fifth of what they train on.
		const judged = evalGoldFile ? {evalId: evalGoldFile} : {evalSplit: 0.2};
		const poolFile = path.join(folder, 'pool.jsonl');
		writeJsonl(poolFile, pool.map(item => ({text: item.text})));
		const goldAnnotator = new GoldAnnotator(pool);
		const moreGoldFile = path.join(folder, 'more-gold.jsonl');
		writeJsonl(moreGoldFile, moreGold.map(item => goldTask(item)));
		console.log(`\n== ${task.name}: ${task.label}; gold G ${goldItems.length} texts (${goldItems.reduce((sum, item) => sum + item.spans.length, 0)} spans), pool ${pool.length} texts, test ${test.length} texts (${sentences.length} sentences)`);
		const runs: SeedRun[] = [];
		for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
			const started = performance.now();
			const at = path.join(folder, String(seed));
			const cached = flags.cache ? path.join(flags.cache, `${task.name}-${path.basename(task.train)}-${task.goldCount}-seed${seed}${vectorTable ? '-vectors' : ''}`) : undefined;
			const baseFolder = cached ?? path.join(at, 'base');
			if (!cached || !fs.existsSync(path.join(cached, 'model-best'))) {
				await train({
					sources: [goldFile], base: 'blank', labels: [task.label], evalSplit: 0.2, output: baseFolder, seed, ...(vectorTable ? {vectors: vectorTable} : {}),
				});
			}

			const base = path.join(baseFolder, 'model-best');
			const teach = await simulate(base, poolFile, goldAnnotator, task.label, seed, 'uncertain', path.join(at, 'teach'));
			const answersFile = path.join(at, 'answers.jsonl');
			writeJsonl(answersFile, teach.answers);
			const answersRun = await train({
				sources: [answersFile], base, labels: [task.label], ...judged, output: path.join(at, 'answers'), seed,
			});
			const told = answersRun.verdict;
			await train({
				sources: [goldFile, answersFile], base, labels: [task.label], ...judged, output: path.join(at, 'gold-answers'), seed,
			});
			const models: Record<string, string> = {
				base, 'in-loop': teach.inLoop, answers: path.join(at, 'answers'), 'gold+answers': path.join(at, 'gold-answers'),
			};
			let randomRun: Simulation | undefined;
			if (controls.has('random')) {
				randomRun = await simulate(base, poolFile, goldAnnotator, task.label, seed, 'random', path.join(at, 'random-teach'));
				const randomFile = path.join(at, 'random.jsonl');
				writeJsonl(randomFile, randomRun.answers);
				await train({
					sources: [randomFile], base, labels: [task.label], ...judged, output: path.join(at, 'random'), seed,
				});
				models['random answers'] = path.join(at, 'random');
			}

			if (controls.has('gold')) {
				await train({
					sources: [goldFile, moreGoldFile], base, labels: [task.label], ...judged, output: path.join(at, 'more-gold'), seed,
				});
				models['gold+140 gold'] = path.join(at, 'more-gold');
			}

			const names = Object.keys(models);
			const comparison = await compareModels(testTasks, Object.values(models), {seed});
			const run: SeedRun = {
				seed,
				f1: Object.fromEntries(names.map((name, index) => [name, comparison.models[index]!.scores.f1])),
				precision: Object.fromEntries(names.map((name, index) => [name, comparison.models[index]!.scores.precision])),
				recall: Object.fromEntries(names.map((name, index) => [name, comparison.models[index]!.scores.recall])),
				threshold: Object.fromEntries(names.map((name, index) => [name, comparison.models[index]!.evaluation.threshold])),
				interval: Object.fromEntries(names.slice(1).map((name, index) => [name, {low: comparison.differences[index]!.low, high: comparison.differences[index]!.high}])),
				items: Object.fromEntries(names.map((name, index) => [name, comparison.models[index]!.items.map(({tp, fp, fn}) => ({tp, fp, fn}))])),
				ab: simulateAb(base, models.answers!, sentences, seed),
				...(models['gold+answers'] ? {goldAb: simulateAb(base, models['gold+answers'], sentences, seed)} : {}),
				...(told?.sentences
					? {
						verdict: {
							verdict: told.verdict, wins: told.sentences.wins, losses: told.sentences.losses, ties: told.sentences.ties,
						},
					}
					: {}),
				teach: {answers: teach.answers.length, accepted: teach.accepted, seconds: teach.seconds},
				...(randomRun ? {random: {answers: randomRun.answers.length, accepted: randomRun.accepted}} : {}),
				seconds: (performance.now() - started) / 1000,
			};
			runs.push(run);
			const percent = (value: number) => (value * 100).toFixed(1);
			console.log(`seed ${seed}: teach ${teach.answers.length} answers (${teach.accepted} accepted, ${teach.updates} updates, ${teach.seconds.toFixed(0)} s${teach.exhausted ? ', the pool ran out' : ''})${randomRun ? `; random ${randomRun.answers.length} (${randomRun.accepted} accepted)` : ''}; ${run.seconds.toFixed(0)} s in all`);
			for (const name of names) {
				const interval = run.interval[name];
				console.log(`  ${name.padEnd(15)} F1 ${percent(run.f1[name]!)}  P ${percent(run.precision[name]!)}  R ${percent(run.recall[name]!)}  t ${run.threshold[name]}${interval ? `  vs base ${percent(run.f1[name]! - run.f1.base!)} (CI ${percent(interval.low)}..${percent(interval.high)})` : ''}`);
			}

			console.log(`  A/B base vs answers: new wins ${run.ab.newWins}, old wins ${run.ab.oldWins}, ties ${run.ab.ties} (${Math.min(100, run.ab.differing)} of ${run.ab.differing} differing sentences); on all of them ${run.ab.allNewWins}-${run.ab.allOldWins}`);
			if (run.goldAb) {
				console.log(`  A/B base vs gold+answers: on every differing test sentence ${run.goldAb.allNewWins}-${run.goldAb.allOldWins}`);
			}

			// Where the answers model loses test sentences to the base, its errors there by kind; marked: words the test gold, the base's gold or the answers mark.
			const answersIndex = names.indexOf('answers');
			const {losses} = verdictOf(comparison.models[0]!.items, comparison.models[answersIndex]!.items, seed, markedSpans(mergeAnswers([...testTasks, ...goldItems.map(item => goldTask(item)), ...teach.answers])));
			const lost = losses && lossesText(losses);
			if (lost) {
				console.log(`  on test: ${lost}`);
			}

			if (run.verdict) {
				console.log(`  train's verdict on the held-out gold: F1 ${run.verdict.verdict}; sentence by sentence new wins ${run.verdict.wins}, base wins ${run.verdict.losses}, ties ${run.verdict.ties}`);
			}
		}

		report[task.name] = {task, runs};
		summarize(task, runs);
	}
} finally {
	temporary.remove();
}

console.log(`\nwall time ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
if (flags.json) {
	fs.writeFileSync(flags.json, JSON.stringify({
		date: new Date().toISOString(), argv: process.argv.slice(2), backend: backend.backend, report,
	}) + '\n');
}
