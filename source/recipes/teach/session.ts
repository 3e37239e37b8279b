import fs from 'node:fs';
import path from 'node:path';
import type {Worker} from 'node:worker_threads';
import {UserError} from '../../errors.js';
import {modelLabels, resolveModelFolder} from '../../model/folder.js';
import {watchStore, type Store} from '../../store/store.js';
import {readTasks} from '../../store/formats.js';
import type {Answer, HashedTask, Task} from '../../task/task.js';
import {takeWorker} from '../early-worker.js';
import {WorkerChannel} from '../../worker/channel.js';
import {readSource} from '../source.js';
import {loadTasks} from '../tasks.js';
import {countAnswers, EventBuffer, replyWithin} from '../event-buffer.js';
import {readPatterns} from './patterns.js';
import {preferences, type Prefer} from './selection.js';
import type {
	FromWorker, LoopTuning, ModelStatus, Question, SourceText, ToWorker, WorkerOptions,
} from './types.js';

export type TeachOptions = {
	dataset: string;
	/** A model folder, or "blank". */
	model: string;
	/** For a blank model: a vector table of pretrained word vectors. */
	vectors?: string;
	source: string;
	labels: string[];
	patterns?: string;
	/** Datasets whose answered inputs are skipped. */
	exclude: string[];
	/** A gold dataset or file for live F1. */
	evalId?: string;
	prefer: Prefer;
	bias: number;
	backend?: string;
	seed: number;
	/** Where the in-loop model is saved; by default `<database>.teach/<dataset>` beside the database. */
	output?: string;
	/** Start from `model` even when an in-loop model was saved before. */
	freshModel?: boolean;
	/** How the model learns in the loop, when not the defaults (for benchmarks). */
	tuning?: LoopTuning;
	/** An annotator's name: answers go in session `<dataset>-<name>`, the session resumes on that annotator's answers only, and the in-loop model is theirs. */
	sessionName?: string;
};

/** Everything checked and read before the screen opens, so a mistake is one clear line, not a broken screen. */
export type TeachPlan = {
	options: TeachOptions;
	labels: string[];
	worker: WorkerOptions;
	/** Where the in-loop model goes when the session ends. */
	output: string;
	/** Answers already in the dataset (resumed after). */
	answeredBefore: number;
	/** The in-loop model continued, if one was. */
	resumedModel?: string;
};

/** The label as the model spells it: Prodigy's users type `-l job_title` for a model's JOB_TITLE. */
function matchLabel(label: string, known: readonly string[]): string | undefined {
	return known.find(item => item === label) ?? known.find(item => item.toLowerCase() === label.toLowerCase());
}

/**
 * The latest answers of the dataset the in-loop model starts from and
 * rehearses: enough for any session a person resumes, and bounded, so a
 * dataset of a million answers starts as fast as a small one.
 */
const rehearsedAnswers = 5000;

/** Check the options and read what the session needs; throws a UserError for anything the person must fix. */
export async function planTeach(database: Store, options: TeachOptions): Promise<TeachPlan> {
	if (!(preferences as readonly string[]).includes(options.prefer)) {
		throw new UserError(`--prefer ${options.prefer}: use ${preferences.join(', ')}.`);
	}

	if (!Number.isFinite(options.bias) || Math.abs(options.bias) >= 0.5) {
		throw new UserError(`--bias ${options.bias}: give a number between -0.5 and 0.5 (it moves the centre of "uncertain" from the model's threshold).`);
	}

	const source = readSource(options.source);
	const patternLabels = options.patterns ? [...new Set(readPatterns(options.patterns, options.labels.length === 1 ? options.labels[0] : undefined).map(pattern => pattern.label))] : [];
	const blank = options.model === 'blank';
	const known = blank ? [] : modelLabels(options.model);
	const requested = options.labels.length > 0 ? options.labels : (known.length > 0 ? known : patternLabels);
	if (requested.length === 0) {
		throw new UserError('No label to annotate: give one with -l (for example -l JOB_TITLE), with patterns for a blank model.');
	}

	const labels = requested.map(label => matchLabel(label, known) ?? matchLabel(label, patternLabels) ?? label);
	for (const label of labels) {
		if (!known.includes(label) && !patternLabels.includes(label)) {
			const where = blank ? 'A blank model knows no labels' : `${options.model} knows ${known.join(', ')}`;
			throw new UserError(`-l ${label}: ${where}, and no pattern proposes ${label}. Give --patterns with ${label} patterns for a cold start, or a model trained on ${label}.`);
		}
	}

	// Named after the database too, so two databases in one folder keep their own in-loop models.
	if (options.sessionName !== undefined && !/^[\w.-]+$/u.test(options.sessionName)) {
		throw new UserError(`--session ${options.sessionName}: use letters, digits, ".", "_" or "-".`);
	}

	const sessionId = options.sessionName === undefined ? undefined : `${options.dataset}-${options.sessionName}`;
	const output = path.resolve(options.output ?? path.join(`${database.localBase}.teach`, sessionId ?? options.dataset));
	let resumedModel: string | undefined;
	if (!options.freshModel && fs.existsSync(path.join(output, 'model.json'))) {
		const saved = modelLabels(output);
		if (labels.every(label => saved.includes(label))) {
			resumedModel = output;
		}
	}

	// A named annotator sees every text, whatever the others answered.
	const own = await database.answered(options.dataset, {...(sessionId === undefined ? {} : {session: sessionId}), recent: rehearsedAnswers});
	const skipInputs = own.inputs;
	const skipTasks = own.tasks;
	const earlier: Task[] = own.recent.map(example => example.task);
	for (const name of options.exclude) {
		/* eslint-disable no-await-in-loop */
		if (!await database.dataset(name)) {
			throw new UserError(`-e ${name}: there is no dataset "${name}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
		}

		const excluded = await database.answered(name);
		/* eslint-enable no-await-in-loop */
		for (const hash of excluded.inputs) {
			skipInputs.add(hash);
		}

		for (const hash of excluded.tasks) {
			skipTasks.add(hash);
		}
	}

	const evalTasks = options.evalId ? await loadTasks(database, options.evalId) : [];
	const gold = evalTasks.filter(task => task.answer !== 'reject' && task.answer !== 'ignore');
	if (options.evalId && gold.length === 0) {
		throw new UserError(`--eval-id ${options.evalId}: holds no accepted examples to score on.`);
	}

	return {
		options,
		labels,
		output,
		answeredBefore: own.count,
		...(resumedModel ? {resumedModel} : {}),
		worker: {
			model: blank ? 'blank' : resolveModelFolder(options.model),
			...(resumedModel ? {resume: resumedModel} : {}),
			...(blank && options.vectors ? {vectors: options.vectors} : {}),
			labels,
			...(options.patterns ? {patterns: options.patterns} : {}),
			source,
			prefer: options.prefer,
			bias: options.bias,
			...(options.backend ? {backend: options.backend} : {}),
			skipInputs: [...skipInputs],
			skipTasks: [...skipTasks],
			earlier,
			gold,
			seed: options.seed,
			...(options.tuning ? {tuning: options.tuning} : {}),
		},
	};
}

/** What the screen hears from the session. */
export type TeachEvent
	= | {type: 'ready'; backend: string; labels: string[]; addedLabels: string[]}
		| {type: 'questions'; questions: Question[]; replace: boolean; reserve?: Question[]}
		| {type: 'status'; status: ModelStatus}
		| {type: 'exhausted'}
		| {type: 'store'; message: string}
		| {type: 'error'; message: string};

/** The session as the screen sees it: no database, no tensors. */
export type TeachChannel = {
	subscribe(listener: (event: TeachEvent) => void): () => void;
	/** Save an answer: it is on disk when this returns. */
	answer(question: Question, answer: Answer): void;
	/** Take back the latest answer to a question. */
	undo(question: Question): void;
};

/** The stored task for an answer to a question, in Prodigy's shape. */
export function answerTask(question: Question, answer: Answer, session: string): Task {
	return {
		text: question.text,
		tokens: question.tokens,
		spans: [{...question.span, score: question.score}],
		meta: {...question.meta, score: Number(question.score.toFixed(4)), ...(question.pattern === undefined ? {} : {pattern: question.pattern})},
		answer,
		_input_hash: question.inputHash,
		_task_hash: question.id,
		_session_id: session,
		_view_id: 'ner',
		_timestamp: Math.floor(Date.now() / 1000),
	};
}

/**
 * A running teach session: the database on this thread (each answer is
 * saved before the key's handler returns) and the model in a worker thread.
 */
export class TeachSession implements TeachChannel {
	static async start(database: Store, plan: TeachPlan): Promise<TeachSession> {
		const session = await database.startSession(plan.options.dataset, {...(plan.options.sessionName === undefined ? {} : {name: plan.options.sessionName}), meta: {recipe: 'teach', model: plan.options.model, labels: plan.labels}});
		const worker = takeWorker(new URL('worker-entry.js', import.meta.url));
		return new TeachSession(database, plan, session, worker);
	}

	readonly plan: TeachPlan;
	readonly id: string;
	readonly #database: Store;
	readonly #worker: WorkerChannel<ToWorker, FromWorker>;
	readonly #events = new EventBuffer<TeachEvent>();
	#saved: ((folder: string) => void) | undefined;
	#closing: Promise<string | undefined> | undefined;
	#failed = false;
	readonly #unwatch: () => void;
	/** This session's answers by question, so an undo takes back the right count. */
	readonly #answers = new Map<number, Answer>();

	private constructor(database: Store, plan: TeachPlan, id: string, worker: Worker) {
		this.#database = database;
		this.plan = plan;
		this.id = id;
		this.#worker = new WorkerChannel<ToWorker, FromWorker>(worker, {
			message: message => {
				this.#receive(message);
			},
			error: error => {
				this.#failed = true;
				this.#emit({type: 'error', message: error.message});
			},
		});
		this.#post({type: 'start', options: plan.worker});
		this.#unwatch = watchStore(database, message => {
			this.#emit({type: 'store', message});
		});
	}

	#post(message: ToWorker): void {
		this.#worker.post(message);
	}

	#emit(event: TeachEvent): void {
		this.#events.emit(event);
	}

	#receive(message: FromWorker): void {
		switch (message.type) {
			case 'saved': {
				this.#saved?.(message.folder);
				break;
			}

			case 'error': {
				this.#emit({type: 'error', message: message.message});
				break;
			}

			case 'questions': {
				this.#emit(message);
				break;
			}

			case 'ready':
			case 'status':
			case 'exhausted': {
				this.#emit(message);
				break;
			}
		}
	}

	subscribe(listener: (event: TeachEvent) => void): () => void {
		return this.#events.subscribe(listener);
	}

	answer(question: Question, answer: Answer): HashedTask {
		const stored = this.#database.add(this.plan.options.dataset, this.id, answerTask(question, answer, this.id));
		this.#answers.set(question.id, answer);
		this.#post({type: 'answer', question, answer});
		return stored;
	}

	undo(question: Question): void {
		this.#database.remove(this.plan.options.dataset, this.id, question.id);
		this.#answers.delete(question.id);
		this.#post({type: 'undo', question});
	}

	/** This session's answers, by kind. */
	counts(): Record<Answer, number> {
		return countAnswers(this.#answers.values());
	}

	/**
	 * Save the in-loop model (waiting at most `timeout` ms for the worker to
	 * finish what it is doing), stop the worker and close the database.
	 * Returns where the model went, or undefined if it could not be saved.
	 */
	async close(timeout = 20_000): Promise<string | undefined> {
		this.#closing ??= (async () => {
			let folder: string | undefined;
			if (!this.#failed) {
				folder = await replyWithin<string | undefined>(timeout, reply => {
					this.#saved = reply;

					this.#post({
						type: 'save',
						folder: this.plan.output,
						meta: {
							recipe: 'teach', dataset: this.plan.options.dataset, session: this.id, base_model: this.plan.options.model, labels: this.plan.labels,
						},
					});
				});
			}

			await this.#worker.close();
			this.#unwatch();
			await this.#database.close();
			return folder;
		})();
		return this.#closing;
	}
}
