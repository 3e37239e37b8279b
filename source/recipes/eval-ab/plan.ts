import fs from 'node:fs';
import {UserError} from '../../errors.js';
import {modelLabels, resolveModelFolder} from '../../model/folder.js';
import type {Store} from '../../store/store.js';
import type {AbAnswer} from '../ab-stats.js';
import {readSource} from '../source.js';
import {isAbTask, modelName, readAbTasks} from './answers.js';
import type {AbWorkerOptions} from './types.js';

export type AbOptions = {
	dataset: string;
	/** Model folders, two or more. */
	models: string[];
	source: string;
	/** Labels to compare (default: all the models know). */
	labels: string[];
	backend?: string;
	seed: number;
};

/** Everything checked and read before the screen opens. */
export type AbPlan = {
	options: AbOptions;
	/** The models' names as answers store them. */
	models: string[];
	labels: string[];
	worker: AbWorkerOptions;
	/** The dataset's answers before this session, for the live verdict. */
	earlier: AbAnswer[];
	/** Sentences skipped as identical before this session. */
	identicalBefore: number;
};

/**
 * Prodigy's shape, `DATASET MODEL_A MODEL_B SOURCE`: the positionals after
 * the dataset are model folders, and the last is the source unless it is a
 * folder.
 */
export function splitPositionals(positionals: readonly string[]): {models: string[]; source: string | undefined} {
	const last = positionals.at(-1);
	if (last === undefined || (fs.existsSync(last) && fs.statSync(last).isDirectory())) {
		return {models: [...positionals], source: undefined};
	}

	return {models: positionals.slice(0, -1), source: last};
}

/** The label as the models spell it: `-l job_title` for JOB_TITLE, as teach takes it. */
function matchLabel(label: string, known: readonly string[]): string | undefined {
	return known.find(item => item === label) ?? known.find(item => item.toLowerCase() === label.toLowerCase());
}

const sameLabels = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every(label => b.includes(label));

/** Check the models, labels, source and dataset; throws a UserError for anything the person must fix. */
export async function planAbEval(database: Store, options: AbOptions): Promise<AbPlan> {
	const models = options.models.map(folder => modelName(folder));
	if (models.length < 2) {
		throw new UserError(`eval-ab needs two or more model folders and a source file (got ${options.models.length === 0 ? 'none' : options.models.join(', ')}): inkling eval-ab DATASET MODEL_A MODEL_B SOURCE -l LABEL.`);
	}

	const twice = models.find((name, index) => models.indexOf(name) !== index);
	if (twice !== undefined) {
		throw new UserError(`${twice} is named twice: give different model folders.`);
	}

	const known = options.models.map(folder => modelLabels(folder));
	for (const [index, labels] of known.entries()) {
		if (!sameLabels(labels, known[0]!)) {
			throw new UserError(`The models have different labels: ${models[0]} knows ${known[0]!.join(', ')}, but ${models[index]} knows ${labels.join(', ')}. Compare models trained for the same labels.`);
		}
	}

	const labels = options.labels.length > 0 ? options.labels.map(label => matchLabel(label, known[0]!) ?? label) : known[0]!;
	for (const label of labels) {
		if (!known[0]!.includes(label)) {
			throw new UserError(`-l ${label}: no model knows it; the models know ${known[0]!.join(', ')}.`);
		}
	}

	const source = readSource(options.source);
	const saved = await database.examples(options.dataset);
	const examples = saved.map(example => example.task);
	const other = examples.filter(task => !isAbTask(task)).length;
	if (other > 0) {
		throw new UserError(`${options.dataset} holds ${other} example${other === 1 ? '' : 's'} from other recipes: give eval-ab a dataset of its own, so its answers never mix with training data.`);
	}

	const stored = readAbTasks(examples);
	return {
		options,
		models,
		labels,
		earlier: stored.answers,
		identicalBefore: stored.identical,
		worker: {
			models: options.models.map((folder, index) => ({name: models[index]!, folder: resolveModelFolder(folder)})),
			labels,
			source,
			skipTasks: examples.map(task => task._task_hash),
			seed: options.seed,
			...(options.backend ? {backend: options.backend} : {}),
		},
	};
}
