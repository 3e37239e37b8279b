// Active learning, simulated: an annotator answers teach's questions from gold
// labels, starting from a blank model and a few patterns, and the model's F1
// on the test split is recorded after 100, 200, 500, 1000 and 2000 answers,
// for teach's selection (prefer uncertain), random selection and the
// highest-score selection (prefer high).
// Usage: node --import=tsx bench/active-learning.ts [--task per|org|designation|all] [--answers 2000]
//   [--strategies teach,random,high] [--learn-rate 0.002 --steps 3 --update-every 4 ...] [--json out.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadBackend, type BackendName} from '../source/model/backend.js';
import {chunkSentence, mergeAnswers, prepareInputs} from '../source/model/data.js';
import {evaluateSentences} from '../source/model/evaluate.js';
import {NerModel} from '../source/model/model.js';
import {seededRandom} from '../source/model/random.js';
import {defaultLoopOptions, TeachLoop, type LoopOptions} from '../source/recipes/teach/loop.js';
import {readPatterns, type Pattern} from '../source/recipes/teach/patterns.js';
import type {Question, SourceText} from '../source/recipes/teach/types.js';
import type {Span, Task} from '../source/task/task.js';
import {splitSentences} from '../source/text/sentences.js';
import {Annotator} from './simulated-annotator.js';
import {temporaryFolderFor} from './temporary.js';

const {values: flags} = parseArgs({
	options: {
		task: {type: 'string', default: 'all'},
		answers: {type: 'string', default: '2000'},
		strategies: {type: 'string', default: 'teach,random,high'},
		checkpoints: {type: 'string', default: '100,200,500,1000,2000'},
		// Evaluate this often too (in answers), for the verdict's finer curve; 0 for the checkpoints only.
		every: {type: 'string', default: '100'},
		// Questions kept waiting: 1 refills when the queue is empty; the teach worker keeps 12.
		queue: {type: 'string', default: '1'},
		backend: {type: 'string', default: 'wasm'},
		width: {type: 'string'},
		depth: {type: 'string'},
		hidden: {type: 'string'},
		'learn-rate': {type: 'string'},
		steps: {type: 'string'},
		'update-every': {type: 'string'},
		rehearsal: {type: 'string'},
		dropout: {type: 'string'},
		window: {type: 'string'},
		'min-priority': {type: 'string'},
		'per-window': {type: 'string'},
		'per-sentence': {type: 'string'},
		bias: {type: 'string'},
		seed: {type: 'string', default: '0'},
		// Runs per strategy, with seeds seed, seed+1, ... (network, loop and random ranking); the table shows the mean.
		seeds: {type: 'string', default: '1'},
		// Also record the best F1 over thresholds on test (an oracle threshold): tells calibration from ranking.
		diagnose: {type: 'boolean', default: false},
		json: {type: 'string'},
		// Print the tables of a --json file again (with --checkpoints and --strategies), without running anything.
		report: {type: 'string'},
	},
});

type Strategy = 'teach' | 'random' | 'high';
const strategyNames: readonly Strategy[] = ['teach', 'random', 'high'];

type PatternLine = {label: string; pattern: string | Array<Record<string, unknown>>};

type BenchTask = {
	name: string;
	label: string;
	dataset: string;
	patterns: PatternLine[];
};

const firstNames = ['john', 'david', 'michael', 'peter', 'paul', 'mark', 'james', 'robert', 'thomas', 'richard', 'george', 'william'];
const tasks: Record<string, BenchTask> = {
	per: {
		name: 'per',
		label: 'PER',
		dataset: 'conll2003_en',
		patterns: [
			{label: 'PER', pattern: [{lower: {IN: firstNames}}, {is_title: true}]},
			{label: 'PER', pattern: 'Bill Clinton'},
			{label: 'PER', pattern: 'Clinton'},
			{label: 'PER', pattern: 'Boris Yeltsin'},
			{label: 'PER', pattern: 'Yeltsin'},
			{label: 'PER', pattern: 'Netanyahu'},
			{label: 'PER', pattern: 'Arafat'},
		],
	},
	org: {
		name: 'org',
		label: 'ORG',
		dataset: 'conll2003_en',
		patterns: [
			{label: 'ORG', pattern: [{is_title: true, OP: '+'}, {lower: {IN: ['corp', 'inc', 'ltd', 'plc', 'co', 'bank', 'group']}}]},
			{label: 'ORG', pattern: [{is_title: true, OP: '+'}, {lower: 'party'}]},
			{label: 'ORG', pattern: 'United Nations'},
			{label: 'ORG', pattern: 'European Union'},
			{label: 'ORG', pattern: 'EU'},
			{label: 'ORG', pattern: 'NATO'},
			{label: 'ORG', pattern: 'Reuters'},
		],
	},
	designation: {
		name: 'designation',
		label: 'Designation',
		dataset: 'dotin_resumes',
		patterns: [
			{label: 'Designation', pattern: [{is_title: true, OP: '*'}, {lower: {IN: ['engineer', 'developer', 'manager', 'consultant', 'analyst']}}]},
			{label: 'Designation', pattern: 'software engineer'},
			{label: 'Designation', pattern: 'senior software engineer'},
			{label: 'Designation', pattern: 'project manager'},
			{label: 'Designation', pattern: 'team lead'},
		],
	},
};

const datasets = path.resolve(import.meta.dirname, '../../shared/datasets');
const readTasks = (dataset: string, split: string) => fs.readFileSync(path.join(datasets, dataset, `${split}.jsonl`), 'utf8').trim().split('\n').map(line => JSON.parse(line) as Task);
const onlyLabel = (spans: readonly Span[] | undefined, label: string) => (spans ?? []).filter(span => span.label === label).map(span => ({start: span.start, end: span.end, label}));
const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

type Point = {
	answers: number; f1: number; precision: number; recall: number; accepted: number; seconds: number;
	/** With --diagnose: the best F1 over thresholds 0.1-0.7 on test, and that threshold. */
	bestF1?: number;
	bestThreshold?: number;
};

type Run = {
	task: string;
	strategy: Strategy;
	seed: number;
	points: Point[];
	answered: number;
	accepted: number;
	patternQuestions: number;
	patternAccepted: number;
	windows: number;
	emptyWindows: number;
	exhausted: boolean;
	seconds: number;
	evaluationSeconds: number;
	startF1: number;
};

const loopOverrides: Partial<LoopOptions> = Object.fromEntries(Object.entries({
	learnRate: number(flags['learn-rate']),
	steps: number(flags.steps),
	updateEvery: number(flags['update-every']),
	rehearsal: number(flags.rehearsal),
	dropout: number(flags.dropout),
	window: number(flags.window),
	minPriority: number(flags['min-priority']),
	perWindow: number(flags['per-window']),
	perSentence: number(flags['per-sentence']),
	bias: number(flags.bias),
}).filter(([, value]) => value !== undefined));
const networkOverrides = Object.fromEntries(Object.entries({
	width: number(flags.width), depth: number(flags.depth), hidden: number(flags.hidden),
}).filter(([, value]) => value !== undefined));

const maxAnswers = Number(flags.answers);
const checkpoints = flags.checkpoints.split(',').map(Number).filter(value => value <= maxAnswers);
const every = Number(flags.every);
const queueTarget = Math.max(1, Number(flags.queue));
const firstSeed = Number(flags.seed);
const seedCount = Math.max(1, Number(flags.seeds));
const strategies = flags.strategies.split(',').map(name => name.trim()) as Strategy[];
for (const strategy of strategies) {
	if (!strategyNames.includes(strategy)) {
		throw new Error(`Unknown strategy ${strategy}: use ${strategyNames.join(', ')}`);
	}
}

const taskNames = flags.task === 'all' ? Object.keys(tasks) : flags.task.split(',');
for (const name of taskNames) {
	if (!tasks[name]) {
		throw new Error(`Unknown task ${name}: use ${Object.keys(tasks).join(', ')} or all`);
	}
}

function simulate(task: BenchTask, strategy: Strategy, seed: number, source: SourceText[], annotator: Annotator, gold: Task[], patterns: Pattern[]): Run {
	const started = performance.now();
	const model = NerModel.blank([task.label], {...networkOverrides, seed});
	const random = seededRandom(seed + 101);
	const loop = new TeachLoop(model.network, source, {
		...loopOverrides,
		seed,
		labels: [task.label],
		patterns,
		prefer: strategy === 'high' ? 'high' : 'uncertain',
		...(strategy === 'random' ? {rank: () => random()} : {}),
	}, {gold});
	const prepared = flags.diagnose ? prepareInputs(mergeAnswers(gold), model.network.config) : undefined;
	let evaluationSeconds = 0;
	const evaluate = (answers: number, accepted: number): Point => {
		const evaluationStart = performance.now();
		const scores = loop.evaluate()!.gold!;
		const tuned = prepared ? evaluateSentences(model.network, prepared.sentences, prepared.report, {tune: true}) : undefined;
		evaluationSeconds += (performance.now() - evaluationStart) / 1000;
		return {
			answers,
			f1: scores.f1,
			precision: scores.precision,
			recall: scores.recall,
			accepted,
			seconds: (performance.now() - started) / 1000,
			...(tuned ? {bestF1: tuned.gold!.f1, bestThreshold: tuned.threshold} : {}),
		};
	};

	const startF1 = evaluate(0, 0).f1;
	const points: Point[] = [];
	let queue: Question[] = [];
	let answered = 0;
	let accepted = 0;
	let patternQuestions = 0;
	let patternAccepted = 0;
	let windows = 0;
	let emptyWindows = 0;
	let exhausted = false;
	try {
		while (answered < maxAnswers) {
			if (queue.length < queueTarget && !exhausted) {
				const questions = loop.nextWindow();
				if (questions === undefined) {
					exhausted = true;
				} else {
					windows++;
					emptyWindows += questions.length === 0 ? 1 : 0;
					queue.push(...questions);
					continue;
				}
			}

			const question = queue.shift();
			if (!question) {
				break;
			}

			const answer = annotator.answer(question);
			accepted += answer === 'accept' ? 1 : 0;
			patternQuestions += question.pattern === undefined ? 0 : 1;
			patternAccepted += question.pattern !== undefined && answer === 'accept' ? 1 : 0;
			loop.answer(question, answer);
			answered++;
			if (loop.updateDue && loop.update() !== undefined) {
				queue = loop.rescore(queue);
			}

			if (checkpoints.includes(answered) || (every > 0 && answered % every === 0)) {
				points.push(evaluate(answered, accepted));
			}
		}

		if (points.at(-1)?.answers !== answered) {
			// The source ran out: the last model's score, at the number of answers it had.
			points.push(evaluate(answered, accepted));
		}
	} finally {
		loop.dispose();
		model.dispose();
	}

	return {
		task: task.name, strategy, seed, points, answered, accepted, patternQuestions, patternAccepted, windows, emptyWindows, exhausted, seconds: (performance.now() - started) / 1000, evaluationSeconds, startF1,
	};
}

/** A strategy's runs (one per seed), averaged: F1 at each number of answers every run reached. */
type Curve = {strategy: Strategy; runs: Run[]; points: Map<number, number>};

function curve(strategy: Strategy, runs: Run[]): Curve {
	const points = new Map<number, number>();
	for (const {answers} of runs[0]!.points) {
		const values = runs.map(run => run.points.find(point => point.answers === answers)?.f1);
		if (values.every(value => value !== undefined)) {
			points.set(answers, values.reduce((sum, value) => sum + value, 0) / values.length);
		}
	}

	return {strategy, runs, points};
}

const format = (value: number | undefined) => (value === undefined ? '  -  ' : value.toFixed(3));
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function report(task: BenchTask, runs: Run[]): string[] {
	const lines: string[] = [];
	const seeds = new Set(runs.map(run => run.seed)).size;
	const curves = strategies.map(strategy => curve(strategy, runs.filter(run => run.strategy === strategy)));
	lines.push(`F1 on test (${task.label}) at the model's threshold${seeds > 1 ? `, mean of ${seeds} seeds` : ''}, by answers:`, ['strategy'.padEnd(9), 'start'.padStart(6), ...checkpoints.map(answers => String(answers).padStart(6)), '  accepted  patterns(accepted)  windows(empty)  time/run'].join(' '));
	for (const {strategy, runs: own, points} of curves) {
		const cells = checkpoints.map(answers => {
			if (points.has(answers)) {
				return format(points.get(answers)).padStart(6);
			}

			// Some seeds ran out of source before this point: the mean of those that got there, starred.
			const some = own.flatMap(run => run.points.filter(point => point.answers === answers).map(point => point.f1));
			return some.length > 0 ? `${format(mean(some))}*`.padStart(6) : format(undefined).padStart(6);
		});
		const windows = `${Math.round(mean(own.map(run => run.windows)))}(${Math.round(mean(own.map(run => run.emptyWindows)))})`;
		const exhausted = own.filter(run => run.exhausted);
		lines.push([
			strategy.padEnd(9),
			format(mean(own.map(run => run.startF1))).padStart(6),
			...cells,
			`  ${String(Math.round(mean(own.map(run => run.accepted)))).padStart(8)}`,
			`${Math.round(mean(own.map(run => run.patternQuestions)))}(${Math.round(mean(own.map(run => run.patternAccepted)))})`.padStart(18),
			windows.padStart(14),
			`${mean(own.map(run => run.seconds)).toFixed(0)} s (eval ${mean(own.map(run => run.evaluationSeconds)).toFixed(0)} s)`,
			exhausted.length > 0 ? `source exhausted after ${exhausted.map(run => run.answered).join('/')} answers (F1 ${exhausted.map(run => format(run.points.at(-1)?.f1)).join('/')})` : '',
		].join(' '));
	}

	const teach = curves.find(item => item.strategy === 'teach');
	const random = curves.find(item => item.strategy === 'random');
	if (curves.some(({runs: own, points}) => checkpoints.some(answers => !points.has(answers) && own.some(run => run.points.some(point => point.answers === answers))))) {
		lines.push('* mean of the seeds that got that far (the others ran out of source)');
	}

	const target = random?.points.get(1000);
	if (teach && target !== undefined) {
		const sorted = [...teach.points].sort((a, b) => a[0] - b[0]);
		const reached = sorted.find(([, f1]) => f1 >= target);
		// From where on it stays there, so that one lucky evaluation does not decide.
		const stays = sorted.find(([answers]) => sorted.every(([other, f1]) => other < answers || f1 >= target));
		const finer = every > 0 ? ` (evaluated every ${every} answers)` : '';
		lines.push(reached
			? `verdict: teach reached random's 1000-answer F1 (${target.toFixed(3)}) after ${reached[0]} answers${finer} (goal: <= 500): ${reached[0] <= 500 ? 'met' : 'not met'}; it stays at or above it from ${stays ? `${stays[0]} answers on` : 'no point on'}`
			: `verdict: teach did not reach random's 1000-answer F1 (${target.toFixed(3)}) within ${Math.max(...teach.points.keys())} answers (best ${Math.max(...teach.points.values()).toFixed(3)}; goal: <= 500): not met`);
	} else {
		lines.push(`verdict: needs teach and random runs with at least 1000 answers (${task.name})`);
	}

	return lines;
}

if (flags.report) {
	const saved = JSON.parse(fs.readFileSync(flags.report, 'utf8')) as {date: string; argv: string[]; runs: Run[]};
	console.log(`runs of ${saved.date}: node --import=tsx bench/active-learning.ts ${saved.argv.join(' ')}`);
	for (const name of new Set(saved.runs.map(run => run.task))) {
		console.log(`\n== ${name}`);
		for (const line of report(tasks[name]!, saved.runs.filter(run => run.task === name))) {
			console.log(line);
		}
	}

	process.exit(0);
}

const backend = await loadBackend({prefer: flags.backend as BackendName});
const probe = NerModel.blank(['X'], networkOverrides);
const networkConfig = probe.network.config;
probe.dispose();
const options = {...defaultLoopOptions, ...loopOverrides};
console.log(`inkling active-learning bench, ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), backend ${backend.backend}`);
console.log(`command: node --import=tsx bench/active-learning.ts ${process.argv.slice(2).join(' ')}`);
console.log(`network: width ${networkConfig.width}, depth ${networkConfig.depth}, hidden ${networkConfig.hidden}, featureWidth ${networkConfig.featureWidth}, maxSpanTokens ${networkConfig.maxSpanTokens}${Object.keys(networkOverrides).length === 0 ? ' (defaults)' : ''}`);
console.log(`loop: learnRate ${options.learnRate}, steps ${options.steps}, updateEvery ${options.updateEvery}, rehearsal ${options.rehearsal}, dropout ${options.dropout}, window ${options.window}, minPriority ${options.minPriority}, perWindow ${options.perWindow}, perSentence ${options.perSentence}, bias ${options.bias}; seeds ${firstSeed}${seedCount > 1 ? `-${firstSeed + seedCount - 1}` : ''}; queue ${queueTarget}`);

const temporary = temporaryFolderFor('active-learning');
const allRuns: Run[] = [];
const benchStart = performance.now();
try {
	for (const name of taskNames) {
		const task = tasks[name]!;
		const train = readTasks(task.dataset, 'train').map(item => ({text: item.text, spans: onlyLabel(item.spans, task.label)}));
		const gold = readTasks(task.dataset, 'test').map(item => ({text: item.text, spans: onlyLabel(item.spans, task.label), answer: 'accept' as const}));
		const source: SourceText[] = train.map((item, line) => ({text: item.text, line}));
		const annotator = new Annotator(train);
		// How many of the train split's gold spans a question can ask about (whole within one of the loop's sentences).
		let askable = 0;
		let total = 0;
		for (const [line, item] of train.entries()) {
			total += item.spans.length;
			askable += annotator.piecesOf(line).reduce((sum, piece) => sum + piece.spans.length, 0);
		}

		const file = path.join(temporary.path, `${name}.jsonl`);
		fs.writeFileSync(file, task.patterns.map(pattern => JSON.stringify(pattern)).join('\n') + '\n');
		const patterns = readPatterns(file);
		console.log(`\n== ${task.name}: ${task.label} on ${task.dataset}: train ${train.length} texts, ${total} ${task.label} spans (${askable} within one sentence); test ${gold.length} texts, ${gold.reduce((sum, item) => sum + item.spans.length, 0)} spans; ${patterns.length} patterns`);
		const runs: Run[] = [];
		for (const strategy of strategies) {
			for (let seed = firstSeed; seed < firstSeed + seedCount; seed++) {
				const run = simulate(task, strategy, seed, source, annotator, gold, patterns);
				runs.push(run);
				allRuns.push(run);
				console.log(`  ${strategy}${seedCount > 1 ? ` seed ${seed}` : ''}: ${run.points.map(point => `${point.answers}:${point.f1.toFixed(3)}${point.bestF1 === undefined ? '' : `/${point.bestF1.toFixed(3)}@${point.bestThreshold}`}`).join(' ')}  (${run.accepted} accepted of ${run.answered}, ${run.seconds.toFixed(0)} s)`);
			}
		}

		console.log('');
		for (const line of report(task, runs)) {
			console.log(line);
		}
	}
} finally {
	temporary.remove();
}

console.log(`\nwall time ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
if (flags.json) {
	fs.writeFileSync(flags.json, JSON.stringify({
		date: new Date().toISOString(),
		argv: process.argv.slice(2),
		network: networkConfig,
		loop: {
			...options, patterns: undefined, skipInputs: undefined, skipTasks: undefined,
		},
		seeds: {first: firstSeed, count: seedCount},
		runs: allRuns,
	}, undefined, '\t') + '\n');
}
