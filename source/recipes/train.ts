import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';
import type {Database} from '../store/database.js';
import {readTasks} from '../store/formats.js';
import {inputHash} from '../store/hash.js';
import type {Task} from '../store/task.js';
import {mergeAnswers, prepareInputs, type PrepareReport} from '../model/data.js';
import {evaluateSentences, type Evaluation} from '../model/evaluate.js';
import {NerModel} from '../model/model.js';
import {
	defaultTrainOptions, trainNetwork, type TrainOptions, type TrainProgress,
} from '../model/train.js';
import {WordVectors} from '../model/vectors.js';
import {loadTasks} from './tasks.js';

export {loadTasks} from './tasks.js';

/** Whether an input is held out for evaluation: by its hash, so the split stays the same as a dataset grows. */
export function isHeldOut(hash: number, split: number): boolean {
	return ((hash >>> 0) / 0x1_00_00_00_00) < split;
}

export type TrainRecipeOptions = Partial<TrainOptions> & {
	/** Datasets or files. */
	sources: string[];
	/** A model folder to start from, or "blank". */
	base: string;
	labels?: string[];
	/** Share of inputs held out, by hash. */
	evalSplit?: number;
	/** A gold dataset or file to evaluate on instead. */
	evalId?: string;
	/** Folder to write `model-best` and `model-last` to. */
	output?: string;
	/** Save the weights at half precision. */
	float16?: boolean;
	/** Use only this share of the training inputs (for train-curve). */
	sample?: number;
	backend?: string;
	/** A word2vec or fastText text file of static word vectors (with a blank model only). */
	vectors?: string;
	overrides?: Partial<NerModel['network']['config']>;
};

export type TrainStart = {
	labels: string[];
	train: PrepareReport;
	evaluation: PrepareReport | undefined;
	/** The base model's scores on the same evaluation set, when there is a base model. */
	base: Evaluation | undefined;
};

export type TrainEvent
	= | {type: 'start'; start: TrainStart}
		| {type: 'batch'; progress: TrainProgress}
		| {type: 'epoch'; epoch: number; loss: number; tokensPerSecond: number; evaluation: Evaluation | undefined; best: boolean};

export type TrainResult = {
	labels: string[];
	epochs: Array<{epoch: number; loss: number; f1?: number; tokensPerSecond: number}>;
	best: {epoch: number; evaluation: Evaluation | undefined};
	base: Evaluation | undefined;
	output: string | undefined;
	seconds: number;
};

function labelsOf(tasks: readonly Task[]): string[] {
	const labels = new Set<string>();
	for (const task of tasks) {
		for (const span of task.spans ?? []) {
			labels.add(span.label);
		}
	}

	return [...labels].sort();
}

/** The headline number of an evaluation: F1 on gold data, else the share of accepted spans found less rejected ones predicted. */
export function headline(evaluation: Evaluation | undefined): number | undefined {
	if (!evaluation) {
		return undefined;
	}

	if (evaluation.gold) {
		return evaluation.gold.f1;
	}

	const {binary} = evaluation;
	if (!binary || binary.accepted + binary.rejected === 0) {
		return undefined;
	}

	return (binary.acceptedFound + (binary.rejected - binary.rejectedPredicted)) / (binary.accepted + binary.rejected);
}

/**
 * Train a model from datasets and files of gold and yes/no answers, yielding
 * progress; returns what happened. Writes `model-best` and `model-last` to
 * the output folder when one is given.
 */
export async function * trainRecipe(database: Database | undefined, options: TrainRecipeOptions): AsyncGenerator<TrainEvent, TrainResult> {
	const started = performance.now();
	const tasks = options.sources.flatMap(source => loadTasks(database, source));
	if (tasks.length === 0) {
		throw new UserError(`${options.sources.join(', ')}: no examples to train on.`);
	}

	const base = options.base === 'blank' ? undefined : NerModel.load(options.base);
	const dataLabels = labelsOf(tasks);
	const labels = options.labels?.length ? options.labels : (base?.labels ?? dataLabels);
	if (labels.length === 0) {
		throw new UserError('The data has no spans, so there are no labels to learn: name them with -l/--label.');
	}

	const unknown = labels.filter(label => !dataLabels.includes(label));
	if (unknown.length > 0) {
		throw new UserError(`-l/--label: no example has the label ${unknown.map(label => `"${label}"`).join(', ')}. The data has: ${dataLabels.join(', ') || 'no labels'}.`);
	}

	if (base && labels.some(label => !base.labels.includes(label))) {
		throw new UserError(`${options.base} knows the labels ${base.labels.join(', ')}; to learn ${labels.filter(label => !base.labels.includes(label)).join(', ')} too, train from "blank".`);
	}

	let evalTasks: Task[] = [];
	let trainTasks = tasks;
	if (options.evalId) {
		evalTasks = loadTasks(database, options.evalId);
		const held = new Set(evalTasks.map(task => task._input_hash ?? inputHash(task)));
		trainTasks = tasks.filter(task => !held.has(task._input_hash ?? inputHash(task)));
	} else if (options.evalSplit !== undefined && options.evalSplit > 0) {
		if (options.evalSplit >= 1) {
			throw new UserError(`-es/--eval-split: ${options.evalSplit} leaves nothing to train on; give a share such as 0.2.`);
		}

		const split = options.evalSplit;
		evalTasks = tasks.filter(task => isHeldOut(task._input_hash ?? inputHash(task), split));
		trainTasks = tasks.filter(task => !isHeldOut(task._input_hash ?? inputHash(task), split));
	}

	if (base && options.vectors) {
		throw new UserError(`--vectors: ${options.base} already has its features; vectors can only be added when training from "blank".`);
	}

	const vectors = options.vectors ? WordVectors.read(options.vectors) : undefined;
	const model = base ?? NerModel.blank(labels, {...options.overrides, seed: options.seed ?? 0}, vectors);
	const config = {...model.network.config};
	let merged = mergeAnswers(trainTasks);
	if (options.sample !== undefined && options.sample < 1) {
		const keep = Math.max(1, Math.round(merged.length * options.sample));
		merged = merged.slice(0, keep);
	}

	const prepared = prepareInputs(merged, config);
	if (prepared.sentences.length === 0) {
		throw new UserError('Nothing is left to train on after holding out the evaluation set.');
	}

	const evaluationData = evalTasks.length > 0 ? prepareInputs(mergeAnswers(evalTasks), config) : undefined;
	const evaluate = (tune = false) => (evaluationData ? evaluateSentences(model.network, evaluationData.sentences, evaluationData.report, {tune}) : undefined);
	const baseEvaluation = base ? evaluate() : undefined;
	yield {
		type: 'start', start: {
			labels, train: prepared.report, evaluation: evaluationData?.report, base: baseEvaluation,
		},
	};

	const settings = {...defaultTrainOptions, ...Object.fromEntries(Object.entries(options).filter(([name, value]) => name in defaultTrainOptions && value !== undefined))};
	const epochs: TrainResult['epochs'] = [];
	let best: TrainResult['best'] = {epoch: 0, evaluation: undefined};
	let bestScore = Number.NEGATIVE_INFINITY;
	let lastEvaluation: Evaluation | undefined;
	const meta = (evaluation: Evaluation | undefined) => ({
		backend: options.backend,
		created: new Date().toISOString(),
		training: {
			sources: options.sources, base: options.base, settings, evalSplit: options.evalSplit, evalId: options.evalId, inputs: merged.length,
		},
		...(evaluation?.gold
			? {
				scores: {
					precision: evaluation.gold.precision, recall: evaluation.gold.recall, f1: evaluation.gold.f1, per_label: evaluation.gold.per_label,
				},
			}
			: {}),
	});
	const evaluationFile = (evaluation: Evaluation | undefined) => ({
		input_hashes: [...new Set(evalTasks.map(task => task._input_hash ?? inputHash(task)))].sort((a, b) => a - b),
		gold: evaluation?.gold,
		binary: evaluation?.binary,
	});

	for await (const progress of trainNetwork(model.network, prepared.sentences, settings)) {
		yield {type: 'batch', progress};
		if (progress.epochLoss === undefined) {
			continue;
		}

		const evaluation = evaluate(true);
		lastEvaluation = evaluation;
		if (evaluation) {
			// Predict at the threshold that did best on the evaluation set.
			model.network.config.threshold = evaluation.threshold;
		}

		const score = headline(evaluation) ?? -progress.epochLoss;
		const improved = score > bestScore;
		epochs.push({
			epoch: progress.epoch, loss: progress.epochLoss, ...(evaluation?.gold ? {f1: evaluation.gold.f1} : {}), tokensPerSecond: progress.tokensPerSecond,
		});
		if (improved) {
			bestScore = score;
			best = {epoch: progress.epoch, evaluation};
			if (options.output) {
				model.save(path.join(options.output, 'model-best'), meta(evaluation), {history: epochs, evaluation: evaluationFile(evaluation)}, {float16: options.float16});
			}
		}

		yield {
			type: 'epoch', epoch: progress.epoch, loss: progress.epochLoss, tokensPerSecond: progress.tokensPerSecond, evaluation, best: improved,
		};
	}

	if (options.output) {
		model.save(path.join(options.output, 'model-last'), meta(lastEvaluation), {history: epochs, evaluation: evaluationFile(lastEvaluation)}, {float16: options.float16});
	}

	model.dispose();
	return {
		labels, epochs, best, base: baseEvaluation, output: options.output, seconds: (performance.now() - started) / 1000,
	};
}
