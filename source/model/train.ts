import * as tf from '@tensorflow/tfjs';
import {type PreparedSentence, type TokenSpan, targets as makeTargets} from './data.js';
import {
	inputWidth, makeBatch, seededRandom, spanLayerInJsFor, tokenChars, type Batch, type SpanNetwork,
} from './network.js';

export type TrainOptions = {
	epochs: number;
	/** Padded tokens per batch (at most: small data gets smaller batches, for `minBatches` steps an epoch). */
	batchTokens: number;
	/** Small data is cut into at least this many batches an epoch (none under 200 tokens). */
	minBatches: number;
	dropout: number;
	learnRate: number;
	/** The learning rate falls linearly over the epochs to this share of `learnRate`. */
	finalLearnRate: number;
	/**
	 * Share of tokens trained without their word embedding (spelling and
	 * context only). 0.3 rather than 0.1 (2026-11-24): CoNLL-2003 test F1 80.89
	 * against 79.81 (0.4 and 0.5 gave 80.68 and 80.65). On dotin Designation
	 * it was mixed: 58.78 against 55.25 in bench:job-titles, 57.53 against
	 * 60.50 with the default model's smaller tables.
	 */
	wordDropout: number;
	seed: number;
};

export const defaultTrainOptions: TrainOptions = {
	epochs: 10, batchTokens: 2000, minBatches: 30, dropout: 0.2, learnRate: 0.002, finalLearnRate: 0.1, wordDropout: 0.3, seed: 0,
};

/** Progress after each batch. */
export type TrainProgress = {
	epoch: number;
	batch: number;
	batches: number;
	loss: number;
	/** Real (unpadded) tokens per second over the epoch so far. */
	tokensPerSecond: number;
	/** Set on the last batch of an epoch: the epoch's mean loss. */
	epochLoss?: number;
};

/**
 * Group sentences of similar length into batches of at most `batchTokens`
 * padded tokens. With `paddingLimit`, a sentence also starts a new batch when
 * it would add more padding than that to the current one (every sentence
 * there is padded to its length): worth it when a batch's fixed cost is less
 * than that many tokens' work, as in scoring a few sentences of mixed length.
 */
export function batchSentences<T extends {words: readonly string[]}>(sentences: readonly T[], batchTokens: number, random?: () => number, paddingLimit = Number.POSITIVE_INFINITY): T[][] {
	const order = sentences.map((sentence, index) => ({index, key: sentence.words.length + (random ? random() : 0)}));
	order.sort((a, b) => a.key - b.key);
	const batches: T[][] = [];
	let current: T[] = [];
	let longest = 0;
	for (const {index} of order) {
		const sentence = sentences[index]!;
		const length = Math.max(longest, sentence.words.length);
		if (current.length > 0 && (length * (current.length + 1) > batchTokens || (length - longest) * current.length > paddingLimit)) {
			batches.push(current);
			current = [];
			longest = 0;
		}

		current.push(sentence);
		longest = Math.max(longest, sentence.words.length);
	}

	if (current.length > 0) {
		batches.push(current);
	}

	return batches;
}

function shuffle<T>(items: T[], random: () => number): T[] {
	for (let index = items.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[items[index], items[other]] = [items[other]!, items[index]!];
	}

	return items;
}

/** Weighted binary cross-entropy of logits, averaged over the weighted entries. */
export function spanLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, weights: tf.Tensor2D): tf.Scalar {
	// Max(z, 0) - z * y + log(1 + exp(-|z|)), stable for any z
	const perEntry = logits.relu().sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1).log());
	return perEntry.mul(weights).sum().div(weights.sum().maximum(1)) as tf.Scalar;
}

/** The loss of one batch, for tests and for training. */
export function batchLoss(network: SpanNetwork, batch: Batch, sentences: readonly PreparedSentence[], embedded?: tf.Tensor2D, training?: {dropout: number; random: () => number}, charEmbedded?: tf.Tensor2D): tf.Scalar {
	const {labels} = network.config;
	const count = labels.length;
	const target = new Float32Array(batch.slotCount * count);
	const weight = new Float32Array(batch.slotCount * count);
	// Candidate c of the batch sits at output row batch.slots[c].
	let c = 0;
	for (const sentence of sentences) {
		const part = makeTargets(sentence, labels);
		for (let k = 0; k < sentence.candidates.length; k++, c++) {
			const row = batch.slots[c]! * count;
			target.set(part.targets.subarray(k * count, (k + 1) * count), row);
			weight.set(part.weights.subarray(k * count, (k + 1) * count), row);
		}
	}

	return spanLoss(
		network.logits(batch, embedded, training, true, charEmbedded),
		tf.tensor2d(target, [batch.slotCount, count]),
		tf.tensor2d(weight, [batch.slotCount, count]),
	);
}

/**
 * Adam (as `tf.train.adam` makes it) whose learning rate a schedule changes
 * between steps: Adam reads `learningRate` at each step, and keeps it
 * protected, for subclasses such as this one.
 */
export class ScheduledAdam extends tf.AdamOptimizer {
	constructor(learningRate: number) {
		super(learningRate, 0.9, 0.999);
	}

	get rate(): number {
		return this.learningRate;
	}

	set rate(value: number) {
		this.learningRate = value;
	}
}

/** One gradient step on one batch: Adam in tfjs for the dense weights, sparse Adam in JS for the embeddings. Returns the loss. */
export function trainStep(
	network: SpanNetwork,
	batch: Batch,
	sentences: readonly PreparedSentence[],
	optimizer: ScheduledAdam,
	variables: tf.Variable[],
	settings: {dropout: number; random: () => number; learnRate: number; wordDropout?: number},
): number {
	const width = inputWidth(network.config);
	const rate = settings.wordDropout ?? 0;
	const dropWords = rate > 0 ? Uint8Array.from(batch.mask, () => (settings.random() < rate ? 1 : 0)) : undefined;
	const input = tf.tensor2d(network.embed(batch, dropWords), [batch.sentences * batch.length, width]);
	const embedded = tf.variable(input, true);
	input.dispose();
	// The characters' embeddings too, when the network has a character CNN: their gradient updates its table.
	const characters = network.chars ? tf.tensor2d(network.embedChars(batch), [tokenChars(batch, network.config.chars!).ids.length, network.chars.width]) : undefined;
	const charEmbedded = characters && tf.variable(characters, true);
	characters?.dispose();
	try {
		const {value, grads} = tf.variableGrads(() => batchLoss(network, batch, sentences, embedded, settings, charEmbedded), [...variables, embedded, ...(charEmbedded ? [charEmbedded] : [])]);
		const embeddingGradient = grads[embedded.name]!.dataSync() as Float32Array;
		const charGradient = charEmbedded && grads[charEmbedded.name]!.dataSync() as Float32Array;
		const dense: Array<{name: string; tensor: tf.Tensor}> = variables.map(variable => ({name: variable.name, tensor: grads[variable.name]!}));

		optimizer.rate = settings.learnRate;
		optimizer.applyGradients(dense);
		network.updateEmbeddings(batch, embeddingGradient, settings.learnRate, dropWords);
		if (charGradient) {
			network.updateChars(batch, charGradient, settings.learnRate);
		}

		const loss = value.dataSync()[0]!;
		tf.dispose([value, ...Object.values(grads)]);
		return loss;
	} finally {
		embedded.dispose();
		charEmbedded?.dispose();
	}
}

/**
 * Train the network on prepared sentences, yielding progress after every
 * batch. Seeded: the same data, options and backend give the same model.
 */
export async function * trainNetwork(network: SpanNetwork, sentences: readonly PreparedSentence[], options: Partial<TrainOptions> = {}): AsyncGenerator<TrainProgress> {
	const settings = {...defaultTrainOptions, ...options};
	const random = seededRandom(settings.seed + 1);
	const optimizer = new ScheduledAdam(settings.learnRate);
	const cache = new Map<string, Int32Array>();
	const trainable = sentences.filter(sentence => sentence.candidates.length > 0 && (sentence.gold !== undefined || sentence.accepted.length > 0 || sentence.rejected.length > 0));
	const variables = Object.values(network.parameters);
	// Small data (a first few hundred answers) still gets its steps an epoch.
	const tokens = trainable.reduce((sum, sentence) => sum + sentence.words.length, 0);
	const batchTokens = Math.max(200, Math.min(settings.batchTokens, Math.floor(tokens / settings.minBatches)));
	try {
		for (let epoch = 1; epoch <= settings.epochs; epoch++) {
			const batches = shuffle(batchSentences(trainable, batchTokens, random), random);
			const started = performance.now();
			let tokens = 0;
			let lossSum = 0;
			for (const [index, group] of batches.entries()) {
				const batch = makeBatch(group, network.config, cache);
				const done = ((epoch - 1) + (index / batches.length)) / settings.epochs;
				const learnRate = settings.learnRate * (1 - ((1 - settings.finalLearnRate) * done));
				const loss = trainStep(network, batch, group, optimizer, variables, {
					dropout: settings.dropout, random, learnRate, wordDropout: settings.wordDropout,
				});
				lossSum += loss;
				tokens += group.reduce((sum, sentence) => sum + sentence.words.length, 0);
				const last = index === batches.length - 1;
				yield {
					epoch,
					batch: index + 1,
					batches: batches.length,
					loss,
					tokensPerSecond: tokens / ((performance.now() - started) / 1000),
					...(last ? {epochLoss: lossSum / batches.length} : {}),
				};
			}
		}
	} finally {
		optimizer.dispose();
	}
}

/** A predicted span on tokens, with its probability. */
export type ScoredSpan = TokenSpan & {score: number};

/** What an analysis must agree with: spans it must contain, and spans (with their labels) it must not. */
export type Constraints = {readonly fixed: readonly TokenSpan[]; readonly forbidden: ReadonlySet<string>};

/** The key of a token span in `Constraints.forbidden`. */
export const tokenSpanKey = (span: TokenSpan) => `${span.start}:${span.end}:${span.label}`;

/**
 * Greedy decoding: candidates by descending probability, kept when at or
 * over the threshold and overlapping nothing kept. With constraints, the
 * fixed spans are kept first and forbidden ones never: the model's best
 * analysis that agrees with yes/no answers.
 */
export function decode(probabilities: Float32Array, offset: number, sentence: {candidates: ReadonlyArray<{start: number; end: number}>}, labels: readonly string[], threshold = 0.5, constraints?: Constraints): ScoredSpan[] {
	const found: ScoredSpan[] = [];
	for (const [c, candidate] of sentence.candidates.entries()) {
		for (const [l, label] of labels.entries()) {
			const score = probabilities[((offset + c) * labels.length) + l]!;
			if (score >= threshold && !constraints?.forbidden.has(`${candidate.start}:${candidate.end}:${label}`)) {
				found.push({
					start: candidate.start, end: candidate.end, label, score,
				});
			}
		}
	}

	found.sort((a, b) => b.score - a.score);
	const kept: ScoredSpan[] = (constraints?.fixed ?? []).map(span => {
		const c = sentence.candidates.findIndex(candidate => candidate.start === span.start && candidate.end === span.end);
		const l = labels.indexOf(span.label);
		return {...span, score: c === -1 || l === -1 ? 1 : probabilities[((offset + c) * labels.length) + l]!};
	});
	for (const span of found) {
		if (kept.every(other => span.end < other.start || span.start > other.end)) {
			kept.push(span);
		}
	}

	return kept.sort((a, b) => a.start - b.start);
}

/**
 * Padding tokens a sentence may add to a scoring batch before it starts a new
 * one: a batch's fixed cost is about this many tokens' work on wasm. A teach
 * window of 20 job-ad sentences was 2.5 times its real tokens when padded to
 * the longest in one batch.
 */
const scorePaddingLimit = 64;

/**
 * Every candidate's probabilities for a list of sentences, in batches; `[candidates * labels]` per sentence.
 * On wasm and cpu, batches of about 2,000 tokens scored CoNLL-2003 test about
 * 10% faster than 4,000 or 8,000 (their arrays stay in the cache); tfjs-node
 * keeps larger batches.
 */
export function scoreSentences<T extends ScoringSentence>(network: SpanNetwork, sentences: readonly T[], batchTokens = scoringBatchTokens()): Float32Array[] {
	const result: Float32Array[] = Array.from({length: sentences.length});
	const indexOf = new Map(sentences.map((sentence, index) => [sentence, index]));
	const cache = new Map<string, Int32Array>();
	for (const group of scoringGroups(sentences, batchTokens)) {
		const {probabilities, offsets} = scoreGroup(network, group, cache);
		for (const [b, sentence] of group.entries()) {
			result[indexOf.get(sentence)!] = probabilities.subarray(offsets[b], offsets[b + 1]);
		}
	}

	return result;
}

/** What scoring needs of a sentence. */
export type ScoringSentence = {words: readonly string[]; candidates: ReadonlyArray<{start: number; end: number}>};

/** Tokens a scoring batch holds on the backend in use (see `scoreSentences`). */
export function scoringBatchTokens(): number {
	return spanLayerInJsFor(tf.getBackend()) ? 2000 : 4000;
}

/** The batches `scoreSentences` scores, in its order: by length, then as given. */
export function scoringGroups<T extends {words: readonly string[]}>(sentences: readonly T[], batchTokens = scoringBatchTokens()): T[][] {
	return batchSentences(sentences, batchTokens, undefined, scorePaddingLimit);
}

/**
 * One batch's probabilities, `[candidates * labels]` for its sentences in
 * order, and where each sentence's part begins in them (one more entry at the
 * end). `cache` keeps the words' feature ids between batches.
 */
export function scoreGroup(network: SpanNetwork, group: readonly ScoringSentence[], cache?: Map<string, Int32Array>): {probabilities: Float32Array; offsets: number[]} {
	const batch = makeBatch(group, network.config, cache);
	const labels = network.config.labels.length;
	return {probabilities: network.predict(batch), offsets: batch.offsets.map(offset => offset * labels)};
}

/**
 * Weight of each unjudged candidate's prior belief in the loss, per candidate
 * and label (an answered span has weight 1): enough to hold what no answer
 * judges where it was, small enough that an answer still moves its own span.
 */
export const defaultDistill = 0.1;

/**
 * Give each sentence of yes/no answers that has none a prior: the network's
 * probabilities now, before it learns from them (see `targets`). Gold
 * sentences need none: they say what every candidate is.
 */
export function attachPriors(network: SpanNetwork, sentences: readonly PreparedSentence[], weight = defaultDistill): void {
	if (weight <= 0) {
		return;
	}

	const missing = sentences.filter(sentence => !sentence.gold && !sentence.prior && sentence.candidates.length > 0);
	if (missing.length === 0) {
		return;
	}

	const scores = scoreSentences(network, missing);
	for (const [index, sentence] of missing.entries()) {
		sentence.prior = {scores: scores[index]!, weight};
	}
}
