import type {Worker} from 'node:worker_threads';
import {watchStore, type Store} from '../../store/store.js';
import type {HashedTask} from '../../task/task.js';
import {takeWorker} from '../early-worker.js';
import {WorkerChannel} from '../../worker/channel.js';
import {EventBuffer} from '../event-buffer.js';
import {agreedTask, answerTask} from './answers.js';
import type {AbPlan} from './plan.js';
import {summarizeDataset, type AbDatasetSummary} from './summary.js';
import type {
	AbChoice, AbQuestion, AgreedSentence, FromAbWorker, ToAbWorker,
} from './types.js';

/** What the screen hears from the session. */
export type AbEvent
	= | {type: 'ready'; backend: string}
		| {type: 'questions'; questions: AbQuestion[]}
		| {type: 'exhausted'; agreed: number}
		| {type: 'store'; message: string}
		| {type: 'error'; message: string};

/** The session as the screen sees it: no database, no tensors. */
export type AbChannel = {
	subscribe(listener: (event: AbEvent) => void): () => void;
	/** Save an answer (and the agreed sentences before it): on disk when this returns. */
	answer(question: AbQuestion, choice: AbChoice): void;
	/** Take back the answer to a question. */
	undo(question: AbQuestion): void;
};

/**
 * A running eval-ab session: the database on this thread (each answer is
 * saved before the key's handler returns) and the models in a worker thread.
 */
export class AbSession implements AbChannel {
	static async start(database: Store, plan: AbPlan): Promise<AbSession> {
		const session = await database.startSession(plan.options.dataset, {
			meta: {
				recipe: 'eval-ab', models: plan.models, labels: plan.labels, seed: plan.options.seed,
			},
		});
		const worker = takeWorker(new URL('worker-entry.js', import.meta.url));
		return new AbSession(database, plan, session, worker);
	}

	readonly plan: AbPlan;
	readonly id: string;
	readonly #database: Store;
	readonly #worker: WorkerChannel<ToAbWorker, FromAbWorker>;
	readonly #unwatch: () => void;
	readonly #events = new EventBuffer<AbEvent>();
	/** Agreed sentences stored, so an answer given again after an undo does not store them twice. */
	readonly #agreedStored = new Set<number>();
	/** This session's answers by question. */
	readonly #choices = new Map<number, AbChoice>();
	#closing: Promise<AbDatasetSummary> | undefined;

	private constructor(database: Store, plan: AbPlan, id: string, worker: Worker) {
		this.#database = database;
		this.plan = plan;
		this.id = id;
		this.#worker = new WorkerChannel<ToAbWorker, FromAbWorker>(worker, {
			message: message => {
				this.#receive(message);
			},
			error: error => {
				this.#emit({type: 'error', message: error.message});
			},
		});
		this.#post({type: 'start', options: plan.worker});
		this.#unwatch = watchStore(database, message => {
			this.#emit({type: 'store', message});
		});
	}

	#post(message: ToAbWorker): void {
		this.#worker.post(message);
	}

	#emit(event: AbEvent): void {
		this.#events.emit(event);
	}

	#receive(message: FromAbWorker): void {
		if (message.type === 'exhausted') {
			// Nothing follows the last agreed sentences for them to wait on.
			this.#storeAgreed(message.agreed);
			this.#emit({type: 'exhausted', agreed: message.agreed.length});
			return;
		}

		this.#emit(message);
	}

	#storeAgreed(agreed: readonly AgreedSentence[]): void {
		for (const sentence of agreed) {
			if (!this.#agreedStored.has(sentence.id)) {
				this.#database.add(this.plan.options.dataset, this.id, agreedTask(sentence, this.id));
				this.#agreedStored.add(sentence.id);
			}
		}
	}

	subscribe(listener: (event: AbEvent) => void): () => void {
		return this.#events.subscribe(listener);
	}

	answer(question: AbQuestion, choice: AbChoice): HashedTask {
		this.#storeAgreed(question.agreed);
		const stored = this.#database.add(this.plan.options.dataset, this.id, answerTask(question, choice, this.id));
		this.#choices.set(question.id, choice);
		this.#post({type: 'answered', id: question.id});
		return stored;
	}

	undo(question: AbQuestion): void {
		this.#database.remove(this.plan.options.dataset, this.id, question.id);
		this.#choices.delete(question.id);
		this.#post({type: 'undo', id: question.id});
	}

	/** This session's answers. */
	get answered(): number {
		return this.#choices.size;
	}

	/** Stop the worker, read the verdict of the whole dataset, and close the database. */
	async close(): Promise<AbDatasetSummary> {
		this.#closing ??= (async () => {
			await this.#worker.close();
			try {
				return await summarizeDataset(this.#database, this.plan.options.dataset, this.plan.models);
			} finally {
				this.#unwatch();
				await this.#database.close();
			}
		})();
		return this.#closing;
	}
}
