import {UserError} from '../errors.js';
import type {Store} from '../store/store.js';
import {
	readTasks, writeTasks, type BadRecord, type InputFormat, type OutputFormat,
} from '../store/formats.js';
import {answers, type Answer, type Task} from '../task/task.js';
import {countKinds, markKind} from '../model/answers.js';

export type ImportOptions = {
	format?: InputFormat;
	/** Set this answer on tasks that have none; undefined leaves them as they are. */
	answer?: Answer;
	/** Skip bad lines (and count them) instead of failing the import. */
	skipInvalid?: boolean;
	/** Store every example as a yes/no answer, or as gold, whatever its shape says. */
	kind?: 'binary' | 'gold';
};

export type ImportResult = {
	dataset: string;
	session: string;
	imported: number;
	skipped: BadRecord[];
	format: InputFormat;
	/** Of the imported examples, how many are yes/no answers about one span and how many complete (gold) annotations. */
	kinds: {binary: number; gold: number};
};

function describeBad(bad: readonly BadRecord[]): string {
	const [first] = bad;
	if (!first) {
		return '';
	}

	const more = bad.length > 1 ? ` (${bad.length} bad lines in all; the next at line ${bad.slice(1, 4).map(item => item.line).join(', ')})` : '';
	return `${first.file}:${first.line}: ${first.problem}${more}`;
}

/**
 * Import a file into a dataset, in one journal transaction: when any line is
 * bad and `skipInvalid` is off, nothing is written.
 */
export async function importFile(database: Store, dataset: string, file: string, options: ImportOptions = {}): Promise<ImportResult> {
	const {tasks, bad, format} = readTasks(file, options.format);
	if (bad.length > 0 && !options.skipInvalid) {
		throw new UserError(`${describeBad(bad)}. Nothing was imported: fix the file, or pass --skip-invalid to import the valid lines.`);
	}

	if (tasks.length === 0) {
		throw new UserError(`${file}: no examples to import${bad.length > 0 ? ` (all ${bad.length} lines were bad)` : ' (the file is empty)'}.`);
	}

	const prepared: Task[] = markKind(options.answer ? tasks.map(task => (task.answer ? task : {...task, answer: options.answer})) : tasks, options.kind);
	const session = await database.startSession(dataset, {meta: {recipe: 'db-in', file}});
	await database.addMany(dataset, session, prepared);
	return {
		dataset, session, imported: prepared.length, skipped: bad, format, kinds: countKinds(prepared),
	};
}

export type ExportOptions = {
	format?: OutputFormat;
	/** Only examples with these answers; by default all for JSONL, accepted ones for CoNLL and spaCy. */
	answers?: readonly Answer[];
};

/** The examples of a dataset as the text of a file in an output format. */
export async function exportDataset(database: Store, dataset: string, options: ExportOptions = {}): Promise<{text: string; exported: number; dropped: number; leftOut: number}> {
	if (!await database.dataset(dataset)) {
		throw new UserError(`There is no dataset "${dataset}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
	}

	const format = options.format ?? 'jsonl';
	const wanted = new Set<Answer>(options.answers ?? (format === 'jsonl' ? answers : ['accept']));
	const stored = await database.examples(dataset);
	const tasks = stored.map(example => example.task);
	const chosen = tasks.filter(task => task.answer === undefined || wanted.has(task.answer));
	const {text, dropped} = writeTasks(chosen, format);
	return {
		text, exported: chosen.length, dropped, leftOut: tasks.length - chosen.length,
	};
}

export type DatasetStats = {
	name: string;
	created: number;
	examples: number;
	answers: Record<Answer | 'none', number>;
	/** Yes/no answers about one span, and complete (gold) annotations (eval-ab answers are neither). */
	kinds: {binary: number; gold: number};
	labels: Record<string, number>;
	inputs: number;
	sessions: Array<{id: string; created: number; examples: number}>;
};

export type DatabaseStats = {
	database: string;
	examples: number;
	datasets: string[];
};

/** Counts for one dataset: per answer, per label of its spans, distinct inputs, sessions. */
export async function datasetStats(database: Store, name: string): Promise<DatasetStats> {
	const info = await database.dataset(name);
	if (!info) {
		throw new UserError(`There is no dataset "${name}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
	}

	const counts: Record<Answer | 'none', number> = {
		accept: 0, reject: 0, ignore: 0, none: 0,
	};
	const labels: Record<string, number> = {};
	const inputs = new Set<number>();
	const perSession = new Map<string, number>();
	const examples = await database.examples(name);
	for (const {task, session} of examples) {
		counts[task.answer ?? 'none']++;
		inputs.add(task._input_hash);
		perSession.set(session, (perSession.get(session) ?? 0) + 1);
		for (const span of task.spans ?? []) {
			labels[span.label] = (labels[span.label] ?? 0) + 1;
		}
	}

	const sessionsOf = await database.sessions(name);
	const sessions = sessionsOf.map(session => ({id: session.id, created: session.created, examples: perSession.get(session.id) ?? 0}));
	return {
		name, created: info.created, examples: examples.length, answers: counts, kinds: countKinds(examples.map(example => example.task)), labels, inputs: inputs.size, sessions,
	};
}

/** Counts for the whole database. */
export async function databaseStats(database: Store): Promise<DatabaseStats> {
	return {database: database.location, examples: await database.count(), datasets: await database.datasets()};
}
