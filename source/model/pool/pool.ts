import os from 'node:os';
import {Worker} from 'node:worker_threads';
import type {BackendName} from '../backend.js';
import {spanLayerInJsFor, type SpanNetwork} from '../network.js';
import {scoreGroup, scoringGroups, type ScoringSentence} from '../train.js';
import {WorkerChannel} from '../../worker/channel.js';
import {packGroup} from './pack.js';
import type {FromScoreWorker, ToScoreWorker} from './types.js';

/**
 * Worker threads that help score a model's candidates, for `eval` and the
 * like: the wasm and cpu backends use one core each, so on a machine with
 * more, other threads each load the same model on the same backend and score
 * batches beside the calling thread. The numbers are the same as
 * `scoreSentences` gives: the same batches on the same backend, with the same
 * weights.
 */

/** Batches a worker is given at once: one to score while the next waits in its queue. */
const inFlightPerWorker = 2;

/**
 * How many helper threads score beside this one by default: one per other
 * core, at most 3, on the single-threaded backends (wasm here, cpu); none on
 * tfjs-node, whose kernels already use every core.
 */
export function defaultScoreWorkers(backend: string, cores = os.availableParallelism()): number {
	return spanLayerInJsFor(backend) ? Math.max(0, Math.min(cores - 1, 3)) : 0;
}

const workerEntry = new URL('worker-entry.js', import.meta.url);

export type PoolOptions = {
	/** The backend this thread runs, which the helpers load too. */
	backend: BackendName;
	/** Helper threads. */
	workers: number;
	/** The first helper's thread, given the entry's URL: one started earlier (with nothing posted to it yet), or a new one. */
	firstWorker?: (entry: URL) => Worker;
};

type Scored = {probabilities: Float32Array; offsets: number[]};

type Helper = {
	worker: WorkerChannel<ToScoreWorker, FromScoreWorker>;
	state: 'loading' | 'ready' | 'gone';
	/** Batches sent and not answered: their ids. */
	inFlight: Set<number>;
};

type Job = {
	/** Which of the pool's models scores. */
	model: number;
	groups: ScoringSentence[][];
	results: Array<Scored | undefined>;
	next: number;
	/** Batches given back by a helper that stopped, to score again. */
	retry: number[];
	done: number;
	failure?: Error;
};

export class ScorePool {
	/**
	 * Start helper threads, each loading the model in `folder` (or each of
	 * `folders`, for `score`'s `model` to choose) on the backend this thread
	 * runs. They load in the background: `score` starts at once, and a helper
	 * joins in when it is ready.
	 */
	static start(folder: string | readonly string[], options: PoolOptions): ScorePool {
		return new ScorePool(typeof folder === 'string' ? [folder] : [...folder], options);
	}

	readonly #helpers: Helper[] = [];
	#job: Job | undefined;
	#ids = 0;
	/** Batch id to its index in the current job. */
	readonly #batchOf = new Map<number, number>();
	/** Wakes the calling thread, waiting in `score`, when a helper answers or stops. */
	#wake: (() => void) | undefined;
	/** Batches the helpers scored, over every job. */
	scoredByHelpers = 0;
	/** Why helpers that did not load failed. */
	readonly failures: string[] = [];

	private constructor(folders: string[], options: PoolOptions) {
		for (let index = 0; index < options.workers; index++) {
			const thread = (index === 0 ? options.firstWorker?.(workerEntry) : undefined) ?? new Worker(workerEntry);
			const worker = new WorkerChannel<ToScoreWorker, FromScoreWorker>(thread, {
				message: message => {
					this.#receive(helper, message);
				},
				error: error => {
					this.#lose(helper, error.message);
				},
				exit: () => {
					this.#lose(helper, 'the thread stopped');
				},
			});
			const helper: Helper = {worker, state: 'loading', inFlight: new Set()};
			this.#helpers.push(helper);
			// A pool nobody closes does not keep the process alive.
			worker.unref();
			worker.post({type: 'load', folders, backend: options.backend});
		}
	}

	/** Helpers loaded and scoring. */
	get ready(): number {
		return this.#helpers.filter(helper => helper.state === 'ready').length;
	}

	/** Wait until no helper is loading any more; how many are ready. */
	async loaded(): Promise<number> {
		while (this.#helpers.some(helper => helper.state === 'loading')) {
			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}

		return this.ready;
	}

	/**
	 * Every candidate's probabilities, as `scoreSentences(network, sentences)`
	 * gives them; `network` is this thread's copy of the pool's model (its
	 * `model`th, when it was started with several).
	 */
	async score<T extends ScoringSentence>(network: SpanNetwork, sentences: readonly T[], model = 0): Promise<Float32Array[]> {
		if (this.#job) {
			throw new Error('ScorePool.score: one job at a time.');
		}

		const job: Job = {
			model, groups: scoringGroups(sentences), results: [], next: 0, retry: [], done: 0,
		};
		this.#job = job;
		const cache = new Map<string, Int32Array>();
		try {
			for (const helper of this.#helpers) {
				// While a job waits on them, the helpers keep the process alive.
				helper.worker.ref();
				this.#feed(helper);
			}

			while (job.done < job.groups.length) {
				if (job.failure) {
					throw job.failure;
				}

				const index = this.#take(job);
				if (index === undefined) {
					// eslint-disable-next-line no-await-in-loop
					await new Promise<void>(resolve => {
						this.#wake = resolve;
					});
					continue;
				}

				job.results[index] = scoreGroup(network, job.groups[index]!, cache);
				job.done++;
				// Let the helpers' answers in, so they get their next batch.
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => {
					setImmediate(resolve);
				});
			}

			if (job.failure) {
				throw job.failure;
			}
		} finally {
			this.#job = undefined;
			this.#batchOf.clear();
			for (const helper of this.#helpers) {
				helper.worker.unref();
			}
		}

		const result: Float32Array[] = Array.from({length: sentences.length});
		const indexOf = new Map(sentences.map((sentence, index) => [sentence, index]));
		for (const [g, group] of job.groups.entries()) {
			const {probabilities, offsets} = job.results[g]!;
			for (const [b, sentence] of group.entries()) {
				result[indexOf.get(sentence as T)!] = probabilities.subarray(offsets[b], offsets[b + 1]);
			}
		}

		return result;
	}

	/** Stop the helpers. */
	async close(): Promise<void> {
		const helpers = this.#helpers.splice(0);
		for (const helper of helpers) {
			helper.state = 'gone';
		}

		await Promise.all(helpers.map(async helper => helper.worker.close()));
	}

	#wakeUp(): void {
		const wake = this.#wake;
		this.#wake = undefined;
		wake?.();
	}

	#take(job: Job): number | undefined {
		if (job.retry.length > 0) {
			return job.retry.pop();
		}

		return job.next < job.groups.length ? job.next++ : undefined;
	}

	#feed(helper: Helper): void {
		const job = this.#job;
		if (!job || helper.state !== 'ready') {
			return;
		}

		while (helper.inFlight.size < inFlightPerWorker) {
			const index = this.#take(job);
			if (index === undefined) {
				return;
			}

			const id = ++this.#ids;
			this.#batchOf.set(id, index);
			helper.inFlight.add(id);
			const group = packGroup(job.groups[index]!);
			helper.worker.post({
				type: 'score', id, model: job.model, group,
			}, [group.counts.buffer as ArrayBuffer, group.pairs.buffer as ArrayBuffer]);
		}
	}

	#receive(helper: Helper, message: FromScoreWorker): void {
		switch (message.type) {
			case 'ready': {
				if (helper.state === 'loading') {
					helper.state = 'ready';
					this.#feed(helper);
				}

				return;
			}

			case 'failed': {
				this.#lose(helper, message.message);
				return;
			}

			case 'scored': {
				helper.inFlight.delete(message.id);
				const index = this.#batchOf.get(message.id);
				const job = this.#job;
				if (job && index !== undefined) {
					this.#batchOf.delete(message.id);
					job.results[index] = {probabilities: message.probabilities, offsets: message.offsets};
					job.done++;
					this.scoredByHelpers++;
					this.#feed(helper);
					this.#wakeUp();
				}

				return;
			}

			case 'error': {
				// Scoring itself failed: the same batch would fail here too, so the job fails with its message.
				helper.inFlight.delete(message.id);
				if (this.#job) {
					this.#job.failure = new Error(`A scoring thread failed: ${message.message}`);
					this.#wakeUp();
				}
			}
		}
	}

	/** A helper that did not load or stopped: its batches go back to the queue, and the job goes on without it. */
	#lose(helper: Helper, why: string): void {
		if (helper.state === 'gone') {
			return;
		}

		if (helper.state === 'loading') {
			this.failures.push(why);
		}

		helper.state = 'gone';
		const job = this.#job;
		for (const id of helper.inFlight) {
			const index = this.#batchOf.get(id);
			this.#batchOf.delete(id);
			if (job && index !== undefined) {
				job.retry.push(index);
			}
		}

		helper.inFlight.clear();
		void helper.worker.close();
		this.#wakeUp();
	}
}
