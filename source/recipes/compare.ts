import {UserError} from '../errors.js';
import {mergeAnswers} from '../model/data.js';
import {evaluateInputs, type Evaluation, type InputCounts} from '../model/evaluate.js';
import type {Scores} from '../model/metrics.js';
import {NerModel} from '../model/model.js';
import type {ScorePool} from '../model/pool/pool.js';
import type {Task} from '../task/task.js';
import {
	pairedBootstrap, preferenceText, sentencePreference, type SentencePreference,
} from './ab-stats.js';
import {
	lossesOf, lossesText, markedSpans, type Losses,
} from './losses.js';

/** One model's scores on the shared gold set. */
export type ComparedModel = {
	/** The folder as it was named. */
	name: string;
	/** The folder loaded: the `model-best` inside `name` when there is one. */
	folder: string;
	/** Gold scores: micro-averaged totals and per label. */
	scores: Scores;
	evaluation: Evaluation;
	/** Counts per gold input, in the same order for every model. */
	items: InputCounts[];
};

/** A model against the first one (the base). */
export type ModelDifference = {
	model: string;
	base: string;
	/** F1 of the model minus F1 of the base: overall and per label. */
	f1: number;
	per_label: Record<string, number>;
	/** Paired bootstrap 95% interval of the overall F1 difference. */
	low: number;
	high: number;
	/** The gold sentence by sentence: where the model makes fewer errors than the base, more, or as many. */
	sentences: SentencePreference;
	/** Where the model makes more errors than the base, its errors there by kind. */
	losses: Losses;
};

export type Comparison = {
	labels: string[];
	/** Gold inputs scored, which the bootstrap resamples. */
	inputs: number;
	/** Bootstrap samples. */
	iterations: number;
	models: ComparedModel[];
	/** Every model but the first, against the first. */
	differences: ModelDifference[];
};

const sameLabels = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(label => b.includes(label));

/**
 * Score models on the same gold tasks: per-label scores for each, the F1
 * difference of each against the first, and a paired bootstrap interval on
 * the overall difference (resampling gold inputs, so both models are
 * judged on the same draws). With `pool` (started on `modelFolders`, in
 * their order), its helper threads score beside this one.
 */
export async function compareModels(tasks: readonly Task[], modelFolders: readonly string[], options: {iterations?: number; seed?: number; pool?: ScorePool} = {}): Promise<Comparison> {
	if (modelFolders.length < 2) {
		throw new UserError('Comparing needs two or more model folders.');
	}

	const inputs = mergeAnswers(tasks);
	if (!inputs.some(input => input.gold)) {
		throw new UserError('No gold (complete) annotations to score against: comparing on F1 needs a gold dataset or file, such as `inkling manual` writes. Without one, `inkling eval-ab` compares models by asking you.');
	}

	const loaded: NerModel[] = [];
	try {
		for (const folder of modelFolders) {
			loaded.push(NerModel.load(folder));
		}

		const [first] = loaded;
		for (const [index, model] of loaded.entries()) {
			if (!sameLabels(model.labels, first!.labels)) {
				throw new UserError(`The models have different labels: ${modelFolders[0]} knows ${first!.labels.join(', ')}, but ${modelFolders[index]} knows ${model.labels.join(', ')}. Compare models trained for the same labels.`);
			}
		}

		const models: ComparedModel[] = [];
		for (const [index, model] of loaded.entries()) {
			// eslint-disable-next-line no-await-in-loop -- one model at a time, each on every thread
			const {evaluation, items} = await evaluateInputs(model.network, inputs, options.pool ? {pool: options.pool, model: index} : undefined);
			models.push({
				name: modelFolders[index]!, folder: model.folder ?? modelFolders[index]!, scores: evaluation.gold!, evaluation, items,
			});
		}

		const labels = [...first!.labels];
		const marked = markedSpans(inputs);
		const iterations = options.iterations ?? 1000;
		const [base] = models;
		const baseErrors = base!.items.flatMap(item => item.sentenceErrors);
		const differences = models.slice(1).map(model => {
			const modelErrors = model.items.flatMap(item => item.sentenceErrors);
			const {difference, low, high} = pairedBootstrap(base!.items, model.items, {iterations, seed: options.seed});
			return {
				model: model.name,
				base: base!.name,
				f1: difference,
				per_label: Object.fromEntries(labels.map(label => [label, model.scores.per_label[label]!.f1 - base!.scores.per_label[label]!.f1])),
				low,
				high,
				sentences: sentencePreference(baseErrors, modelErrors),
				losses: lossesOf(baseErrors, modelErrors, model.items.flatMap(item => item.sentenceKinds), marked),
			};
		});
		return {
			labels, inputs: base!.items.length, iterations, models, differences,
		};
	} finally {
		for (const model of loaded) {
			model.dispose();
		}
	}
}

/** The letter a model goes by in the table: A, B, C, ... */
export function modelLetter(index: number): string {
	return index < 26 ? String.fromCodePoint(65 + index) : `M${index + 1}`;
}

const fixed = (value: number) => value.toFixed(3);

/** A difference with its sign: +0.034, -0.012, +0.000. */
export function signed(value: number): string {
	const text = Math.abs(value).toFixed(3);
	return `${value < 0 && text !== '0.000' ? '-' : '+'}${text}`;
}

/**
 * The comparison as text: a legend of the models with their totals, F1 per
 * label (rows) and model (columns) with each model's difference from A, and
 * the bootstrap interval of each overall difference.
 */
export function comparisonTable(comparison: Comparison): string {
	const {models, differences, labels} = comparison;
	const lines = models.map((model, index) => `${modelLetter(index)}  P ${fixed(model.scores.precision)}  R ${fixed(model.scores.recall)}  F1 ${fixed(model.scores.f1)}  ${model.name}`);
	lines.push('');
	const labelWidth = Math.max(16, ...labels.map(label => label.length + 2));
	const column = 9;
	const differenceNames = differences.map((_, index) => `${modelLetter(index + 1)} − A`);
	lines.push('F1'.padEnd(labelWidth) + models.map((_, index) => modelLetter(index).padStart(column)).join('') + differenceNames.map(name => name.padStart(column)).join(''));
	const row = (name: string, f1s: number[], changes: number[]) => name.padEnd(labelWidth) + f1s.map(f1 => fixed(f1).padStart(column)).join('') + changes.map(change => signed(change).padStart(column)).join('');
	for (const label of labels) {
		lines.push(row(label, models.map(model => model.scores.per_label[label]!.f1), differences.map(difference => difference.per_label[label]!)));
	}

	lines.push(row('all', models.map(model => model.scores.f1), differences.map(difference => difference.f1)), '');
	for (const [index, difference] of differences.entries()) {
		lines.push(`F1 difference ${differenceNames[index]}: ${signed(difference.f1)} (95% CI ${signed(difference.low)} to ${signed(difference.high)}), ${comparison.iterations} paired bootstrap samples over ${comparison.inputs} gold inputs`);
	}

	for (const [index, {sentences}] of differences.entries()) {
		const letter = modelLetter(index + 1);
		lines.push(`Sentence by sentence, ${letter} against A: ${preferenceText(sentences, letter)}`);
	}

	for (const [index, {losses}] of differences.entries()) {
		const text = lossesText(losses, {model: modelLetter(index + 1), base: 'A'});
		if (text) {
			lines.push(text);
		}
	}

	return lines.join('\n');
}

/** The comparison for `--json`: scores per model and differences from the first, without the per-input counts. */
export function comparisonJson(comparison: Comparison): unknown {
	return {
		labels: comparison.labels,
		inputs: comparison.inputs,
		iterations: comparison.iterations,
		models: comparison.models.map(model => ({
			name: model.name,
			folder: model.folder,
			threshold: model.evaluation.threshold,
			precision: model.scores.precision,
			recall: model.scores.recall,
			f1: model.scores.f1,
			per_label: model.scores.per_label,
		})),
		differences: comparison.differences,
	};
}
