import fs from 'node:fs';
import type {Worker} from 'node:worker_threads';
import {UserError} from '../../errors.js';
import {watchStore, type Store} from '../../store/store.js';
import {inputHash} from '../../task/hash.js';
import type {
	Answer, HashedTask, Span, Task, TaskToken,
} from '../../task/task.js';
import {splitSentences, spansInSentence} from '../../text/sentences.js';
import {alignSpans} from '../../text/spans.js';
import {tokenize} from '../../text/tokenize.js';
import {takeWorker} from '../early-worker.js';
import type {SourceTask} from '../source.js';
import {countAnswers, EventBuffer, replyWithin} from '../event-buffer.js';
import {WorkerChannel} from '../../worker/channel.js';
import type {
	EditedExample, EditItem, FromEditWorker, ModelOptions, SavedAnswer, ToEditWorker,
} from './types.js';

/** Labels from `-l`: comma-separated, or a file with one label a line. */
export function readLabels(values: readonly string[]): string[] {
	if (values.length === 1 && fs.existsSync(values[0]!) && fs.statSync(values[0]!).isFile()) {
		const labels = fs.readFileSync(values[0]!, 'utf8').split('\n').map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#'));
		if (labels.length === 0) {
			throw new UserError(`-l ${values[0]}: the file holds no labels; write one label a line.`);
		}

		return [...new Set(labels)];
	}

	if (values.length === 1 && /[/\\]|\.(?:txt|labels)$/u.test(values[0]!)) {
		throw new UserError(`-l ${values[0]}: no such labels file. Give a file with one label a line, or the labels themselves: -l PERSON,ORG.`);
	}

	return [...new Set(values)];
}

/** Prodigy's token shape, without the whitespace flag its exports of manual data leave out. */
export function taskTokens(text: string): TaskToken[] {
	return tokenize(text).map(token => ({
		text: token.text, start: token.start, end: token.end, id: token.id,
	}));
}

/** The spans that line up with the tokens, with their token indices; the others are dropped. */
function alignedSpans(tokens: TaskToken[], spans: readonly Span[], labels: readonly string[]): Span[] {
	const known = spans.filter(span => labels.length === 0 || labels.includes(span.label));
	return alignSpans(tokens, known).aligned.map(span => ({
		start: span.start, end: span.end, token_start: span.token_start, token_end: span.token_end, label: span.label,
	}));
}

/** The examples of a source, one a sentence (or one a text when `unsegmented`), skipping inputs in `skip`. */
export function * editItems(source: readonly SourceTask[], options: {unsegmented: boolean; labels: readonly string[]; skip: ReadonlySet<number>}): Generator<EditItem> {
	const seen = new Set<number>();
	for (const task of source) {
		const pieces = options.unsegmented || task.tokens ? [{text: task.text, start: 0, end: task.text.length}] : splitSentences(task.text, task.spans ?? []);
		for (const piece of pieces) {
			const hash = inputHash({text: piece.text});
			if (options.skip.has(hash) || seen.has(hash)) {
				continue;
			}

			seen.add(hash);
			const tokens = task.tokens && pieces.length === 1 ? task.tokens.map(({ws: _ws, ...token}) => token) : taskTokens(piece.text);
			if (tokens.length === 0) {
				continue;
			}

			const spans = task.spans ? spansInSentence(piece, task.spans) : [];
			yield {
				text: piece.text,
				tokens,
				spans: alignedSpans(tokens, spans, options.labels),
				inputHash: hash,
				...(task.meta ? {meta: task.meta} : {}),
				...(Object.keys(task.fields).length > 0 ? {fields: task.fields} : {}),
			};
		}
	}
}

/** The stored task for an edited example, in the shape of Prodigy's ner_manual answers. */
export function editTask(editing: EditedExample, answer: Answer, session: string, viewId = 'ner_manual'): Task {
	const {item} = editing;
	return {
		...item.fields,
		text: item.text,
		...(item.meta ? {meta: item.meta} : {}),
		_input_hash: item.inputHash,
		tokens: item.tokens,
		_session_id: session,
		_view_id: viewId,
		spans: [...editing.spans].sort((a, b) => a.start - b.start).map(span => ({
			start: span.start,
			end: span.end,
			...(span.token_start === undefined ? {} : {token_start: span.token_start, token_end: span.token_end}),
			label: span.label,
		})),
		answer,
	};
}

/** What the edit screen hears from its session. */
export type EditEvent
	= | {type: 'items'; items: EditItem[]}
		| {type: 'exhausted'}
		| {type: 'ready'; backend: string}
		| {type: 'status'; text: string}
		| {type: 'store'; message: string}
		| {type: 'error'; message: string};

/** The session as the edit screen sees it: no database, no model. */
export type EditChannel = {
	subscribe(listener: (event: EditEvent) => void): () => void;
	/** Save the example with this answer: it is on disk when this returns. Returns the stored task's hash. */
	answer(editing: EditedExample, answer: Answer): number;
	/** Take back a saved answer (the person went back to the example). */
	undo(done: SavedAnswer): void;
};

export type EditPlan = {
	dataset: string;
	labels: string[];
	/** A name for this annotator's session: answers go in `<dataset>-<name>`, and it resumes on its own answers only. */
	sessionName?: string;
	viewId: string;
	recipe: string;
	items: Iterator<EditItem>;
	/** Examples already answered (skipped). */
	answeredBefore: number;
	model?: ModelOptions;
	/** Examples to keep waiting ahead of the screen. */
	ahead?: number;
};

/** The input hashes to skip: those answered in `dataset` (only by this annotator when `sessionName` is given) and in `exclude`. */
export async function answeredInputs(database: Store, dataset: string, exclude: readonly string[], sessionName?: string): Promise<{skip: Set<number>; count: number}> {
	const own = await database.answered(dataset, sessionName === undefined ? {} : {session: `${dataset}-${sessionName}`});
	const skip = own.inputs;
	for (const name of exclude) {
		/* eslint-disable no-await-in-loop */
		if (!await database.dataset(name)) {
			throw new UserError(`-e ${name}: there is no dataset "${name}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
		}

		const excluded = await database.answered(name);
		for (const hash of excluded.inputs) {
			skip.add(hash);
		}
		/* eslint-enable no-await-in-loop */
	}

	return {skip, count: own.count};
}

/**
 * A running manual or correct session: the database on this thread (each
 * answer is saved before the key's handler returns) and, for correct, the
 * model in a worker thread that predicts ahead of the screen.
 */
export class EditSession implements EditChannel {
	static async start(database: Store, plan: EditPlan): Promise<EditSession> {
		const id = await database.startSession(plan.dataset, {...(plan.sessionName === undefined ? {} : {name: plan.sessionName}), meta: {recipe: plan.recipe, labels: plan.labels}});
		const worker = plan.model ? takeWorker(new URL('worker-entry.js', import.meta.url)) : undefined;
		return new EditSession(database, plan, id, worker);
	}

	readonly plan: EditPlan;
	readonly id: string;
	readonly #database: Store;
	readonly #worker: WorkerChannel<ToEditWorker, FromEditWorker> | undefined;
	readonly #unwatch: () => void;
	readonly #events = new EventBuffer<EditEvent>();
	/** Examples handed out (or sent to be predicted) and not answered yet. */
	#ahead = 0;
	#exhausted = false;
	/** Batches sent to the model and not back yet. */
	#predicting = 0;
	#saved: ((folder: string | undefined) => void) | undefined;
	#closing: Promise<string | undefined> | undefined;
	#failed = false;
	readonly #answers = new Map<number, Answer>();

	private constructor(database: Store, plan: EditPlan, id: string, worker: Worker | undefined) {
		this.#database = database;
		this.plan = plan;
		this.id = id;
		if (worker) {
			this.#worker = new WorkerChannel<ToEditWorker, FromEditWorker>(worker, {
				message: message => {
					this.#receive(message);
				},
				error: error => {
					this.#failed = true;
					this.#emit({type: 'error', message: error.message});
				},
			});
			this.#worker.post({type: 'start', options: plan.model!});
		}

		this.#unwatch = watchStore(database, message => {
			this.#emit({type: 'store', message});
		});
		this.#topUp();
	}

	#emit(event: EditEvent): void {
		this.#events.emit(event);
	}

	#receive(message: FromEditWorker): void {
		switch (message.type) {
			case 'ready': {
				this.#emit({type: 'ready', backend: message.backend});
				break;
			}

			case 'predicted': {
				this.#predicting--;
				if (message.items.length > 0) {
					this.#emit({type: 'items', items: message.items});
				}

				if (this.#exhausted && this.#predicting === 0) {
					this.#emit({type: 'exhausted'});
				}

				break;
			}

			case 'status': {
				this.#emit({type: 'status', text: `model: ${message.updates} update${message.updates === 1 ? '' : 's'} on ${message.trained} accepted, loss ${message.loss.toFixed(3)}`});
				break;
			}

			case 'saved': {
				this.#saved?.(message.folder);
				break;
			}

			case 'error': {
				this.#emit({type: 'error', message: message.message});
				break;
			}
		}
	}

	/** Keep `ahead` examples waiting: read the next ones from the source, through the model for correct. */
	#topUp(): void {
		const target = this.plan.ahead ?? 12;
		if (this.#exhausted || this.#ahead >= target / 2) {
			return;
		}

		const items: EditItem[] = [];
		while (this.#ahead + items.length < target) {
			const next = this.plan.items.next();
			if (next.done) {
				this.#exhausted = true;
				break;
			}

			items.push(next.value);
		}

		this.#ahead += items.length;
		if (this.#worker) {
			this.#predicting++;
			this.#worker.post({type: 'predict', items});
		} else {
			if (items.length > 0) {
				this.#emit({type: 'items', items});
			}

			if (this.#exhausted) {
				this.#emit({type: 'exhausted'});
			}
		}
	}

	subscribe(listener: (event: EditEvent) => void): () => void {
		return this.#events.subscribe(listener);
	}

	answer(editing: EditedExample, answer: Answer): number {
		const stored: HashedTask = this.#database.add(this.plan.dataset, this.id, editTask(editing, answer, this.id, this.plan.viewId));
		this.#answers.set(stored._task_hash, answer);
		if (this.#worker && this.plan.model?.update && answer === 'accept') {
			this.#worker.post({type: 'learn', text: editing.item.text, spans: [...editing.spans]});
		}

		this.#ahead = Math.max(0, this.#ahead - 1);
		this.#topUp();
		return stored._task_hash;
	}

	undo(done: SavedAnswer): void {
		this.#database.remove(this.plan.dataset, this.id, done.taskHash);
		this.#answers.delete(done.taskHash);
		if (this.#worker && this.plan.model?.update && done.answer === 'accept') {
			this.#worker.post({type: 'forget', text: done.editing.item.text});
		}

		this.#ahead++;
	}

	/** This session's answers, by kind. */
	counts(): Record<Answer, number> {
		return countAnswers(this.#answers.values());
	}

	/** Save the updated model (with `--update`), stop the worker and close the database. Returns where the model went. */
	async close(timeout = 20_000): Promise<string | undefined> {
		this.#closing ??= (async () => {
			let folder: string | undefined;
			const {model} = this.plan;
			if (this.#worker && model?.update && model.output && !this.#failed) {
				folder = await replyWithin<string | undefined>(timeout, reply => {
					this.#saved = reply;

					this.#worker!.post({
						type: 'save', folder: model.output!, meta: {
							recipe: this.plan.recipe, dataset: this.plan.dataset, session: this.id, base_model: model.model, labels: model.labels,
						},
					});
				});
			}

			await this.#worker?.close();
			this.#unwatch();
			await this.#database.close();
			return folder;
		})();
		return this.#closing;
	}
}
