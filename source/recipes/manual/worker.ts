import {isBackendName, loadBackend, preloadBackend} from '../../model/backend.js';
import {serveChannel} from '../../worker/channel.js';
import {NerModel} from '../../model/model.js';
import {alignSpans} from '../../text/spans.js';
import {TeachLoop} from '../teach/loop.js';
import {saveAtomically} from '../save-model.js';
import type {
	EditItem, FromEditWorker, ModelOptions, ToEditWorker,
} from './types.js';

/** Complete annotations say something about every span, so correct's updates keep the rate batch training starts at (teach's is a tenth). */
const goldLearnRate = 0.002;

/** Accepted examples between model updates. */
const updateEvery = 2;

/**
 * The worker's side of `correct`: the model predicts each example's spans
 * before the screen needs them, and with `--update` learns from the
 * accepted examples (a few steps every two, with earlier ones rehearsed).
 */
class CorrectWorker {
	readonly #send: (message: FromEditWorker) => void;
	#model: NerModel | undefined;
	#loop: TeachLoop | undefined;
	#labels: string[] = [];
	#updates = 0;
	#started: Promise<void> | undefined;

	constructor(send: (message: FromEditWorker) => void) {
		this.#send = send;
	}

	async handle(message: ToEditWorker): Promise<void> {
		try {
			if (message.type === 'start') {
				this.#started = this.#start(message.options);
			}

			await this.#started;
			switch (message.type) {
				case 'predict': {
					this.#send({type: 'predicted', items: this.#predict(message.items)});
					break;
				}

				case 'learn': {
					this.#loop?.learnGold(message.text, message.spans);
					if (this.#loop && this.#loop.pending >= updateEvery) {
						this.#update();
					}

					break;
				}

				case 'forget': {
					this.#loop?.forgetGold(message.text);
					break;
				}

				case 'save': {
					if (this.#loop && this.#loop.pending > 0) {
						this.#update();
					}

					if (this.#model && this.#loop) {
						saveAtomically(this.#model, message.folder, {...message.meta, answers: this.#loop.trained, updates: this.#updates});
						this.#send({type: 'saved', folder: message.folder});
					} else {
						this.#send({type: 'saved', folder: undefined});
					}

					break;
				}

				case 'start': {
					break;
				}
			}
		} catch (error) {
			this.#send({type: 'error', message: error instanceof Error ? error.message : String(error)});
			if (message.type === 'predict') {
				// The examples still go to the screen, without the model's spans.
				this.#send({type: 'predicted', items: message.items});
			}
		}
	}

	async #start(options: ModelOptions): Promise<void> {
		const backend = await loadBackend(options.backend !== undefined && isBackendName(options.backend) ? {prefer: options.backend} : {});
		this.#model = NerModel.load(options.model);
		this.#labels = options.labels;
		if (options.update) {
			this.#model.network.addLabels(options.labels);
			this.#loop = new TeachLoop(this.#model.network, [], {labels: options.labels, updateEvery, learnRate: goldLearnRate});
		}

		this.#send({type: 'ready', backend: backend.backend, labels: this.#model.labels});
	}

	#predict(items: readonly EditItem[]): EditItem[] {
		if (!this.#model || items.length === 0) {
			return [...items];
		}

		const predicted = this.#model.predict(items.map(item => item.text), undefined, items.map(item => item.constraints));
		return items.map((item, index) => {
			// Spans of the labels asked for that line up with the example's tokens.
			const found = predicted[index]!.filter(span => this.#labels.includes(span.label));
			const {aligned} = alignSpans(item.tokens, found);
			return {
				...item,
				spans: aligned.map(span => ({
					start: span.start, end: span.end, token_start: span.token_start, token_end: span.token_end, label: span.label,
				})),
			};
		});
	}

	#update(): void {
		const loss = this.#loop?.update();
		if (loss !== undefined) {
			this.#updates++;
			this.#send({
				type: 'status', updates: this.#updates, loss, trained: this.#loop!.trained,
			});
		}
	}
}

if (serveChannel<ToEditWorker, FromEditWorker>(send => new CorrectWorker(send))) {
	preloadBackend();
}
