import {makeBatch, type SpanNetwork} from './network.js';
import type {PreparedSentence} from './data.js';
import {attachPriors, ScheduledAdam, trainStep} from './train.js';

export type OnlineOptions = {
	/** Steps an update takes on its sentences. */
	steps: number;
	learnRate: number;
	dropout: number;
	/** Weight of what the model believed of a sentence's unjudged spans before it first learnt from it (0: none; see `targets`). */
	distill: number;
};

/**
 * The model learning while a person works (teach; correct --update): a few
 * gradient steps at a time on the sentences a recipe hands it, with its own
 * optimizer kept between updates. The recipe chooses the sentences (new
 * answers and the earlier ones it rehearses); the tensors, the optimizer and
 * the network's weights stay on this side.
 */
export class OnlineLearner {
	readonly network: SpanNetwork;
	readonly options: OnlineOptions;
	readonly #optimizer: ScheduledAdam;

	constructor(network: SpanNetwork, options: OnlineOptions) {
		this.network = network;
		this.options = options;
		this.#optimizer = new ScheduledAdam(options.learnRate);
	}

	/**
	 * `steps` steps on these sentences, as one batch; returns the mean loss.
	 * Each sentence of yes/no answers first keeps what the model believed of
	 * it before it first learnt from it, so answers move the spans they judge
	 * and little else. `random` draws the dropout (the caller's seeded source).
	 */
	learn(sentences: readonly PreparedSentence[], random: () => number): number {
		const group = sentences.filter(sentence => sentence.candidates.length > 0);
		if (group.length === 0) {
			return 0;
		}

		attachPriors(this.network, group, this.options.distill);
		const batch = makeBatch(group, this.network.config);
		const variables = Object.values(this.network.parameters);
		let total = 0;
		for (let step = 0; step < this.options.steps; step++) {
			total += trainStep(this.network, batch, group, this.#optimizer, variables, {
				dropout: this.options.dropout, random, learnRate: this.options.learnRate,
			});
		}

		return total / this.options.steps;
	}

	dispose(): void {
		this.#optimizer.dispose();
	}
}
