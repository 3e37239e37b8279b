import {isBackendName, loadBackend} from '../../model/backend.js';
import {serveChannel} from '../../worker/channel.js';
import {NerModel} from '../../model/model.js';
import {AbReader} from './reader.js';
import type {AbWorkerOptions, FromAbWorker, ToAbWorker} from './types.js';

/** Questions the screen should have waiting, so a key never waits on the models. */
const queueTarget = 20;

/** Sentences read per turn of the event loop; the first turn reads fewer, for a sooner first question. */
const window = 20;
const firstWindow = 6;

/**
 * The worker's side of eval-ab: loads every model, reads the source ahead
 * and keeps the screen's queue of questions full.
 */
export class AbWorker {
	readonly #send: (message: FromAbWorker) => void;
	readonly #models = new Map<string, NerModel>();
	#reader: AbReader | undefined;
	/** Questions sent to the screen and not answered yet. */
	#outstanding = 0;
	#pumping = false;
	#done = false;

	constructor(send: (message: FromAbWorker) => void) {
		this.#send = send;
	}

	async handle(message: ToAbWorker): Promise<void> {
		try {
			switch (message.type) {
				case 'start': {
					await this.#start(message.options);
					break;
				}

				case 'answered': {
					this.#outstanding = Math.max(0, this.#outstanding - 1);
					break;
				}

				case 'undo': {
					this.#outstanding++;
					break;
				}
			}
		} catch (error) {
			this.#done = true;
			this.#send({type: 'error', message: error instanceof Error ? error.message : String(error)});
		}

		this.#schedulePump();
	}

	async #start(options: AbWorkerOptions): Promise<void> {
		const backend = await loadBackend(options.backend !== undefined && isBackendName(options.backend) ? {prefer: options.backend} : {});
		for (const {name, folder} of options.models) {
			this.#models.set(name, NerModel.load(folder));
		}

		this.#reader = new AbReader(options.source, {
			models: options.models.map(model => model.name),
			labels: options.labels,
			skipTasks: new Set(options.skipTasks),
			seed: options.seed,
			predict: (model, texts) => this.#models.get(model)!.predict(texts),
		});
		this.#send({type: 'ready', backend: backend.backend});
	}

	/** Read one window if the screen needs questions; false when there is nothing more to do now. */
	#fill(): boolean {
		const reader = this.#reader;
		if (!reader || this.#done || this.#outstanding >= queueTarget) {
			return false;
		}

		const questions = reader.next(this.#outstanding === 0 ? firstWindow : window);
		if (questions === undefined) {
			this.#done = true;
			this.#send({type: 'exhausted', agreed: reader.takeAgreed()});
			return false;
		}

		if (questions.length > 0) {
			this.#outstanding += questions.length;
			this.#send({type: 'questions', questions});
		}

		return true;
	}

	/** One window per turn of the event loop, so answers are counted in between. */
	#schedulePump(): void {
		if (this.#pumping) {
			return;
		}

		this.#pumping = true;
		setImmediate(() => {
			this.#pumping = false;
			if (this.#fill()) {
				this.#schedulePump();
			}
		});
	}
}

serveChannel<ToAbWorker, FromAbWorker>(send => new AbWorker(send));
