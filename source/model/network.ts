import * as tf from '@tensorflow/tfjs';
import {candidates, gluedTokens, type Candidate} from './candidates.js';
import {
	charIds, featureNames, featurize, hashSeeds, idColumns, type CharConfig, type FeatureName, type FeatureRows,
} from './features.js';
import {EmbeddingTable} from './embedding.js';
import {dropout, layerNorm, matMul} from './ops.js';
import {seededRandom} from './random.js';
import type {WordVectors} from './vectors.js';

export {seededRandom} from './random.js';

/** Sizes and settings of a span classifier; saved with the model. */
export type NetworkConfig = {
	labels: string[];
	rows: FeatureRows;
	/** Width of each feature's embedding. */
	featureWidth: number;
	/** Width of the token vectors. */
	width: number;
	/** Residual window-3 convolution layers. */
	depth: number;
	/**
	 * Each layer's dilation: the window is the token and the tokens this far
	 * before and after it. All 1 when absent (models saved before it).
	 */
	dilations?: number[];
	/** Width of the span MLP's hidden layer. */
	hidden: number;
	/** Longest candidate span, in tokens. */
	maxSpanTokens: number;
	/** Probability at or over which a span is predicted; chosen on the evaluation set by `train` (0.5 when not). */
	threshold?: number;
	/** Width of the static word vectors, when the model has them. */
	vectorWidth?: number;
	/** The character CNN, when the model has one (models saved before it have none). */
	chars?: CharConfig;
	seed: number;
};

export const defaultNetworkConfig: Omit<NetworkConfig, 'labels'> = {
	rows: {
		lower: 20_000, prefix: 5000, suffix: 5000, shape: 1000,
	},
	featureWidth: 64,
	// Width 96 and a 64-wide span layer scored CoNLL-2003 test as well as
	// 128 and 128 (F1 0.798 against 0.803) and predict 2.3x faster on wasm.
	// 4 layers (a token sees 4 on each side) rather than 3: with vectors, F1
	// 1 to 4.5 points higher from 250 to 2,000 sentences over two seeds
	// (bench:curve --variants, BENCHMARKS.md), for about 10% of prediction
	// speed; 5 layers scored lower than 4.
	width: 96,
	depth: 4,
	hidden: 64,
	maxSpanTokens: 10,
	// A character CNN of 32 filters: CoNLL-2003 test F1 86.72 against 86.10
	// and dotin Designation 60.73 against 59.78 (one seed each), for 0.8-0.86x
	// the prediction speed and 1.5x the training time (BENCHMARKS.md).
	chars: {
		rows: 256, width: 16, filters: 32, maxChars: 20,
	},
	seed: 0,
};

/** A sentence ready for the network: its words and candidate spans. */
export type NetworkSentence = {
	words: readonly string[];
	candidates: readonly Candidate[];
};

/** Sentences padded into one batch, as the typed arrays the network reads. */
export type Batch = {
	sentences: number;
	/** Padded length. */
	length: number;
	/** Per feature, the rows of its table, `[sentences * length * seeds]`. */
	ids: Int32Array[];
	/** 1 for a real token, 0 for padding, `[sentences * length]`. */
	mask: Float32Array;
	/** The words, '' for padding, `[sentences * length]`. */
	words: string[];
	/** Flat token index of each candidate's first and last token, and its width - 1. */
	starts: Int32Array;
	ends: Int32Array;
	widths: Int32Array;
	/** Widths the network scores: 1 to this many tokens. */
	maxWidth: number;
	/** Each candidate's row in the network's output (see `SpanNetwork.logits`). */
	slots: Int32Array;
	/** Rows of the network's output. */
	slotCount: number;
	/** Where each sentence's candidates begin in the candidate arrays; one more entry at the end. */
	offsets: number[];
};

/** Pack sentences into a batch (pure JS; no tensors). */
export function makeBatch(sentences: readonly NetworkSentence[], config: NetworkConfig, cache?: Map<string, Int32Array>): Batch {
	const length = Math.max(1, ...sentences.map(sentence => sentence.words.length));
	const seeds = hashSeeds.length;
	const ids = featureNames.map(() => new Int32Array(sentences.length * length * seeds));
	const mask = new Float32Array(sentences.length * length);
	const words = Array.from<string>({length: sentences.length * length}).fill('');
	const total = sentences.reduce((sum, sentence) => sum + sentence.candidates.length, 0);
	const starts = new Int32Array(total);
	const ends = new Int32Array(total);
	const widths = new Int32Array(total);
	const offsets = [0];
	const slots = new Int32Array(total);
	const maxWidth = Math.min(config.maxSpanTokens, length);
	// Output rows go sentence by sentence, then width by width, then by start.
	const widthOffsets = [0];
	for (let w = 0; w < maxWidth; w++) {
		widthOffsets.push(widthOffsets[w]! + length - w);
	}

	const perSentence = widthOffsets[maxWidth]!;
	let c = 0;
	for (const [b, sentence] of sentences.entries()) {
		const features = featurize(sentence.words, config.rows, cache);
		for (let t = 0; t < sentence.words.length; t++) {
			const row = (b * length) + t;
			mask[row] = 1;
			words[row] = sentence.words[t]!;
			for (let f = 0; f < featureNames.length; f++) {
				for (let s = 0; s < seeds; s++) {
					ids[f]![(row * seeds) + s] = features[(t * idColumns) + (f * seeds) + s]!;
				}
			}
		}

		for (const candidate of sentence.candidates) {
			starts[c] = (b * length) + candidate.start;
			ends[c] = (b * length) + candidate.end;
			widths[c] = candidate.end - candidate.start;
			slots[c] = (b * perSentence) + widthOffsets[widths[c]!]! + candidate.start;
			c++;
		}

		offsets.push(c);
	}

	return {
		sentences: sentences.length, length, ids, mask, words, starts, ends, widths, maxWidth, slots, slotCount: sentences.length * perSentence, offsets,
	};
}

/**
 * Words' characters for the character CNN: rows of its table, `[words *
 * length]`, with 1 in `mask` for a real character (0, and 1 in `skip`, for
 * padding).
 */
export type CharBatch = {ids: Int32Array; mask: Float32Array; skip: Uint8Array; length: number};

/** The characters of words ('' for padding), padded to the longest word's (at most `maxChars`). */
export function charBatch(words: readonly string[], config: CharConfig): CharBatch {
	const perWord = words.map(word => charIds(word, config));
	const length = Math.max(1, ...perWord.map(ids => ids.length));
	const ids = new Int32Array(words.length * length);
	const mask = new Float32Array(words.length * length);
	const skip = new Uint8Array(words.length * length).fill(1);
	for (const [t, word] of perWord.entries()) {
		for (const [k, id] of word.entries()) {
			ids[(t * length) + k] = id;
			mask[(t * length) + k] = 1;
			skip[(t * length) + k] = 0;
		}
	}

	return {
		ids, mask, skip, length,
	};
}

const tokenCharsOf = new WeakMap<Batch, CharBatch>();

/** A training batch's tokens' characters, one row a token (`charBatch` of its words), made once per batch: prediction does not need them. */
export function tokenChars(batch: Batch, config: CharConfig): CharBatch {
	let chars = tokenCharsOf.get(batch);
	if (!chars) {
		chars = charBatch(batch.words, config);
		tokenCharsOf.set(batch, chars);
	}

	return chars;
}

/** Width of the network's input per token looked up in JS: the feature embeddings, then the word vectors if any (the character CNN's output follows in tensors). */
export function inputWidth(config: Pick<NetworkConfig, 'featureWidth' | 'vectorWidth'>): number {
	return (featureNames.length * config.featureWidth) + (config.vectorWidth ?? 0);
}

/** A sentence's tokens to network input, with its candidates. */
export function networkSentence(tokens: ReadonlyArray<{text: string; start: number; end: number}>, config: Pick<NetworkConfig, 'maxSpanTokens'>): NetworkSentence {
	const words = tokens.map(token => token.text);
	return {words, candidates: candidates(words, config.maxSpanTokens, gluedTokens(tokens))};
}

type Parameters = Record<string, tf.Variable>;

/** The character table's name among a saved model's weights. */
export const charTableName = 'embed_chars';

/**
 * Whether prediction runs the span layer in JS on this backend: on wasm and
 * the pure-JS cpu backend, where it is faster than tensor ops over every
 * slot; tfjs-node (`tensorflow`, CPU or GPU) keeps it in tensors.
 */
export function spanLayerInJsFor(backend: string): boolean {
	return backend === 'wasm' || backend === 'cpu';
}

/**
 * The span classifier: hashed token features, a residual convolutional
 * encoder, and an MLP over (start, end, mean, width) of every candidate span,
 * with one sigmoid per label. The MLP's first layer is linear in start, end
 * and mean, so its three parts are computed once per token.
 */
export class SpanNetwork {
	static create(config: NetworkConfig, vectors?: WordVectors): SpanNetwork {
		if (config.chars) {
			config = {...config, chars: {...config.chars}};
		}

		if (vectors) {
			config = {...config, vectorWidth: vectors.width};
		}

		const random = seededRandom(config.seed);
		const seed = () => Math.floor(random() * 2_147_483_647);
		const normal = (shape: number[], scale: number) => tf.randomNormal(shape, 0, scale, 'float32', seed());
		const glorot = (fanIn: number, fanOut: number) => normal([fanIn, fanOut], Math.sqrt(2 / (fanIn + fanOut)));
		const parameters: Record<string, tf.Tensor> = {};
		const tables = Object.fromEntries(featureNames.map(name => [name, EmbeddingTable.random(config.rows[name], config.featureWidth, 0.1, seed())])) as Record<FeatureName, EmbeddingTable>;

		const mixed = inputWidth(config) + (config.chars?.filters ?? 0);
		parameters.mix_w = glorot(mixed, config.width);
		parameters.mix_b = tf.zeros([config.width]);
		parameters.mix_gain = tf.ones([config.width]);
		parameters.mix_bias = tf.zeros([config.width]);
		for (let layer = 0; layer < config.depth; layer++) {
			parameters[`conv${layer}_w`] = glorot(3 * config.width, config.width);
			parameters[`conv${layer}_b`] = tf.zeros([config.width]);
			parameters[`conv${layer}_gain`] = tf.ones([config.width]);
			parameters[`conv${layer}_bias`] = tf.zeros([config.width]);
		}

		parameters.span_start = glorot(config.width, config.hidden);
		parameters.span_end = glorot(config.width, config.hidden);
		parameters.span_mean = glorot(config.width, config.hidden);
		parameters.span_width = normal([config.maxSpanTokens, config.hidden], 0.1);
		parameters.span_b = tf.zeros([config.hidden]);
		parameters.out_w = glorot(config.hidden, config.labels.length);
		// Entities are rare: start every label's probability low.
		parameters.out_b = tf.fill([config.labels.length], -4);
		// Last, so a network without characters starts as it did before they existed.
		let chars: EmbeddingTable | undefined;
		if (config.chars) {
			chars = EmbeddingTable.random(config.chars.rows, config.chars.width, 0.1, seed());
			parameters.char_w = glorot(3 * config.chars.width, config.chars.filters);
			parameters.char_b = tf.zeros([config.chars.filters]);
		}

		return SpanNetwork.fromTensors(config, tables, parameters, vectors, chars);
	}

	/** A network from named tensors (which it takes over), as loaded from a model folder. */
	static fromTensors(config: NetworkConfig, tables: Record<FeatureName, EmbeddingTable>, tensors: Record<string, tf.Tensor>, vectors?: WordVectors, chars?: EmbeddingTable): SpanNetwork {
		const parameters: Parameters = {};
		for (const [name, tensor] of Object.entries(tensors)) {
			parameters[name] = tf.variable(tensor, true, undefined);
			tensor.dispose();
		}

		return new SpanNetwork(config, tables, parameters, vectors, chars);
	}

	readonly config: NetworkConfig;
	/** The dense weights, trained by tfjs. */
	readonly parameters: Parameters;
	/** The feature embeddings, looked up and trained in JS. */
	readonly tables: Record<FeatureName, EmbeddingTable>;

	/** Static word vectors, if the model has them. */
	readonly vectors: WordVectors | undefined;

	/** The character embeddings of the character CNN, if the model has one, looked up and trained in JS as `tables` are. */
	readonly chars: EmbeddingTable | undefined;

	private constructor(config: NetworkConfig, tables: Record<FeatureName, EmbeddingTable>, parameters: Parameters, vectors?: WordVectors, chars?: EmbeddingTable) {
		if (config.chars && !chars) {
			throw new Error('A network with a character CNN needs its character table');
		}

		this.config = config;
		this.vectors = vectors;
		this.chars = chars;
		this.tables = tables;
		this.parameters = parameters;
	}

	/**
	 * The tokens' feature embeddings, concatenated: `[sentences * length,
	 * features * featureWidth]` row-major. Tokens marked in `dropWords` get no
	 * word (lower-case form) embedding, so training learns to use spelling
	 * and context, as it must for words it has not seen.
	 */
	embed(batch: Batch, dropWords?: Uint8Array): Float32Array {
		const stride = inputWidth(this.config);
		const output = new Float32Array(batch.sentences * batch.length * stride);
		for (const [f, name] of featureNames.entries()) {
			this.tables[name].lookup(batch.ids[f]!, hashSeeds.length, output, stride, f * this.config.featureWidth, name === 'lower' ? dropWords : undefined);
		}

		this.vectors?.lookup(batch.words, output, stride, featureNames.length * this.config.featureWidth);

		return output;
	}

	/** Apply the gradient of the loss with respect to `embed`'s output to the embedding tables. */
	updateEmbeddings(batch: Batch, gradient: Float32Array, learnRate: number, dropWords?: Uint8Array): void {
		const stride = inputWidth(this.config);
		const wordMask = dropWords ? batch.mask.map((value, index) => (dropWords[index] ? 0 : value)) : batch.mask;
		for (const [f, name] of featureNames.entries()) {
			this.tables[name].update(batch.ids[f]!, hashSeeds.length, gradient, stride, f * this.config.featureWidth, name === 'lower' ? wordMask : batch.mask, learnRate);
		}
	}

	/** The characters' embeddings, `[sentences * length * tokenChars(batch).length, chars.width]`; padding is zero. */
	embedChars(batch: Batch): Float32Array {
		if (!this.config.chars || !this.chars) {
			throw new Error('embedChars: the network has no character CNN');
		}

		const chars = tokenChars(batch, this.config.chars);
		const output = new Float32Array(chars.ids.length * this.chars.width);
		this.chars.lookup(chars.ids, 1, output, this.chars.width, 0, chars.skip);
		return output;
	}

	/** Apply the gradient of the loss with respect to `embedChars`' output to the character table. */
	updateChars(batch: Batch, gradient: Float32Array, learnRate: number): void {
		const chars = tokenChars(batch, this.config.chars!);
		this.chars!.update(chars.ids, 1, gradient, this.chars!.width, 0, chars.mask, learnRate);
	}

	/**
	 * The character CNN: a window-3 convolution over each token's characters
	 * and the maximum of each filter over them, `[sentences * length, filters]`.
	 * It sees the case and spelling of words that the hashed features and
	 * the lower-case vectors do not.
	 */
	#charFeatures(batch: Batch, charEmbedded: tf.Tensor2D): tf.Tensor2D {
		return this.#charCnn(tokenChars(batch, this.config.chars!), batch.sentences * batch.length, charEmbedded);
	}

	/**
	 * `#charFeatures` for prediction: each distinct word of the batch once
	 * (a batch repeats its words, and padding has none), then a gather to the
	 * tokens. Training keeps one row a token: the gradient of a gather is slow
	 * on wasm.
	 */
	#charFeaturesOnce(batch: Batch): tf.Tensor2D {
		const rows = batch.sentences * batch.length;
		const rowOf = new Map<string, number>([['', 0]]);
		const index = new Int32Array(rows);
		for (let row = 0; row < rows; row++) {
			const word = batch.words[row]!;
			let at = rowOf.get(word);
			if (at === undefined) {
				at = rowOf.size;
				rowOf.set(word, at);
			}

			index[row] = at;
		}

		const chars = charBatch([...rowOf.keys()], this.config.chars!);
		const output = new Float32Array(chars.ids.length * this.chars!.width);
		this.chars!.lookup(chars.ids, 1, output, this.chars!.width, 0, chars.skip);
		const perWord = this.#charCnn(chars, rowOf.size, tf.tensor2d(output, [chars.ids.length, this.chars!.width]), false);
		return perWord.gather(tf.tensor1d(index, 'int32')) as tf.Tensor2D;
	}

	/**
	 * The character CNN over `words` words' characters: `[words * chars.length,
	 * width]` -> `[words, filters]`. When not `differentiable`, one fused
	 * convolution, as in `encode`.
	 */
	#charCnn(chars: CharBatch, words: number, charEmbedded: tf.Tensor2D, differentiable = true): tf.Tensor2D {
		const config = this.config.chars!;
		const {length, mask} = chars;
		const rows = words;
		const characterMask = tf.tensor3d(mask, [rows, length, 1]);
		if (!differentiable) {
			// The weights [3 * width, filters] are the filter [3, 1, width, filters]: previous, this and next character.
			const filtered = tf.fused.conv2d({
				x: charEmbedded.reshape([rows, length, 1, config.width]) as tf.Tensor4D,
				filter: this.#parameter('char_w').reshape([3, 1, config.width, config.filters]) as tf.Tensor4D,
				strides: 1,
				pad: 'same',
				bias: this.#parameter('char_b'),
				activation: 'relu',
			});
			return filtered.reshape([rows, length, config.filters]).mul(characterMask).max(1) as tf.Tensor2D;
		}

		// [rows, length, width]: previous, this and next character side by side -> [rows * length, 3 * width]
		const grid = charEmbedded.reshape([rows, length, config.width]) as tf.Tensor3D;
		const previous = grid.pad([[0, 0], [1, 0], [0, 0]]).slice([0, 0, 0], [rows, length, config.width]);
		const next = grid.pad([[0, 0], [0, 1], [0, 0]]).slice([0, 1, 0], [rows, length, config.width]);
		const windows = tf.concat([previous, grid, next], 2).reshape([rows * length, 3 * config.width]) as tf.Tensor2D;
		const filtered = matMul(windows, this.#parameter('char_w') as tf.Tensor2D).add(this.#parameter('char_b')).relu();
		// Padding to 0, which no relu output is below, then the maximum over each word's characters.
		return filtered.reshape([rows, length, config.filters]).mul(characterMask).max(1) as tf.Tensor2D;
	}

	#parameter(name: string): tf.Variable {
		const parameter = this.parameters[name];
		if (!parameter) {
			throw new Error(`The network has no parameter ${name}`);
		}

		return parameter;
	}

	/**
	 * Token vectors, `[sentences * length, width]`, from the embeddings (`embed`'s
	 * output as a tensor, which training differentiates against). When not
	 * `differentiable` (prediction), each window layer is one convolution
	 * with its bias, which skips building the shifted copies; its gradient is
	 * missing or slow on wasm, so training builds the window from slices.
	 */
	encode(batch: Batch, embedded: tf.Tensor2D, training: {dropout: number; random: () => number} | undefined, differentiable = true, charEmbedded?: tf.Tensor2D): tf.Tensor2D {
		const {config} = this;
		const rows = batch.sentences * batch.length;
		const mask = tf.tensor2d(batch.mask, [rows, 1]);
		const seed = () => (training ? Math.floor(training.random() * 2_147_483_647) : 0);
		const drop = <T extends tf.Tensor>(x: T) => (training ? dropout(x, training.dropout, seed()) : x);
		const dense = (x: tf.Tensor2D, name: string): tf.Tensor2D => (differentiable
			? matMul(x, this.#parameter(`${name}_w`) as tf.Tensor2D).add(this.#parameter(`${name}_b`)) as tf.Tensor2D
			: tf.fused.matMul({a: x, b: this.#parameter(`${name}_w`), bias: this.#parameter(`${name}_b`)}) as tf.Tensor2D);
		// Window 3 along each sentence, `dilation` tokens apart: [rows, width] -> [rows, width]
		const window = (x: tf.Tensor2D, name: string, dilation: number): tf.Tensor2D => {
			const grid = x.reshape([batch.sentences, batch.length, config.width]) as tf.Tensor3D;
			if (!differentiable) {
				// The weights [3 * width, width] are the filter [3, 1, width, width]: previous, this and next token.
				const filter = this.#parameter(`${name}_w`).reshape([3, 1, config.width, config.width]) as tf.Tensor4D;
				return tf.fused.conv2d({
					x: grid.expandDims(2) as tf.Tensor4D, filter, strides: 1, pad: 'same', dilations: [dilation, 1], bias: this.#parameter(`${name}_b`),
				}).reshape([rows, config.width]);
			}

			// From shifted copies: [sentences, length, width] -> [rows, 3 * width]
			const previous = grid.pad([[0, 0], [dilation, 0], [0, 0]]).slice([0, 0, 0], [batch.sentences, batch.length, config.width]);
			const next = grid.pad([[0, 0], [0, dilation], [0, 0]]).slice([0, dilation, 0], [batch.sentences, batch.length, config.width]);
			return dense(tf.concat([previous, grid, next], 2).reshape([rows, 3 * config.width]) as tf.Tensor2D, name);
		};

		if (config.chars) {
			const characters = charEmbedded ?? (differentiable ? tf.tensor2d(this.embedChars(batch), [tokenChars(batch, config.chars).ids.length, config.chars.width]) : undefined);
			embedded = tf.concat([embedded, characters ? this.#charFeatures(batch, characters) : this.#charFeaturesOnce(batch)], 1);
		}

		// [rows, features * featureWidth + vectors + filters] -> [rows, width]
		let h = dense(drop(embedded), 'mix');
		h = layerNorm(h, this.#parameter('mix_gain') as tf.Tensor1D, this.#parameter('mix_bias') as tf.Tensor1D).relu().mul(mask);
		for (let layer = 0; layer < config.depth; layer++) {
			let y = window(h, `conv${layer}`, config.dilations?.[layer] ?? 1);
			y = layerNorm(y, this.#parameter(`conv${layer}_gain`) as tf.Tensor1D, this.#parameter(`conv${layer}_bias`) as tf.Tensor1D).relu();
			h = h.add(drop(y).mul(mask));
		}

		return h;
	}

	/**
	 * One logit per label for every span of 1 to `maxWidth` tokens, `[slotCount, labels]`:
	 * rows go sentence by sentence, then by width, then by start token (see
	 * `Batch.slots`). Spans are built from shifted slices of per-token parts,
	 * never gathered: gather is slow on wasm. Rows that are not candidates
	 * (padding, punctuation edges) are computed and ignored.
	 */
	logits(batch: Batch, embedded?: tf.Tensor2D, training?: {dropout: number; random: () => number}, differentiable = true, charEmbedded?: tf.Tensor2D): tf.Tensor2D {
		const {config} = this;
		const {sentences, length, maxWidth} = batch;
		const input = embedded ?? tf.tensor2d(this.embed(batch), [sentences * length, inputWidth(config)]);
		const h = this.encode(batch, input, training, differentiable, charEmbedded);
		const grid = (x: tf.Tensor2D) => x.reshape([sentences, length, config.hidden]) as tf.Tensor3D;
		// Per token: the first layer's parts for a span starting, ending, or lying here. [sentences, length, hidden]
		const asStart = grid(matMul(h, this.#parameter('span_start') as tf.Tensor2D));
		const asEnd = grid(matMul(h, this.#parameter('span_end') as tf.Tensor2D));
		const inside = grid(matMul(h, this.#parameter('span_mean') as tf.Tensor2D));
		// Running sums along each sentence; cumsum runs on the last axis, where its gradient works on every backend.
		const running = inside.transpose([0, 2, 1]).cumsum(2).transpose([0, 2, 1]) as tf.Tensor3D;
		const before = running.sub(inside) as tf.Tensor3D;
		const widthTable = this.#parameter('span_width') as tf.Tensor2D;
		const blocks: tf.Tensor3D[] = [];
		for (let w = 0; w < maxWidth; w++) {
			const count = length - w;
			const first = (x: tf.Tensor3D) => x.slice([0, 0, 0], [sentences, count, config.hidden]);
			const last = (x: tf.Tensor3D) => x.slice([0, w, 0], [sentences, count, config.hidden]);
			// Spans from token i to i + w: [sentences, length - w, hidden]
			const mean = last(running).sub(first(before)).mul(1 / (w + 1));
			let hidden = first(asStart).add(last(asEnd)).add(mean)
				.add(widthTable.slice([w, 0], [1, config.hidden]))
				.add(this.#parameter('span_b'))
				.relu()
				.reshape([sentences * count, config.hidden]) as tf.Tensor2D;
			if (training) {
				hidden = dropout(hidden, training.dropout, Math.floor(training.random() * 2_147_483_647));
			}

			// Concatenating the narrow logits, not the wide hidden layers: the gradient of concat is a split, slow on wasm.
			blocks.push(matMul(hidden, this.#parameter('out_w') as tf.Tensor2D).reshape([sentences, count, config.labels.length]));
		}

		return tf.concat(blocks, 1).reshape([batch.slotCount, config.labels.length]).add(this.#parameter('out_b'));
	}

	/**
	 * Probabilities per candidate and label, as a flat row-major array
	 * `[candidates * labels]`. `spanLayer` says where the span layer runs: on
	 * wasm and cpu in plain JS by default (see `#spanLayerInJs`), elsewhere
	 * (tfjs-node on the CPU or a GPU) as tensors. Both give the same numbers.
	 */
	predict(batch: Batch, spanLayer: 'js' | 'tensors' = spanLayerInJsFor(tf.getBackend()) ? 'js' : 'tensors'): Float32Array {
		if (batch.starts.length === 0) {
			return new Float32Array(0);
		}

		if (spanLayer === 'js') {
			return this.#spanLayerInJs(batch);
		}

		const probabilities = tf.tidy(() => this.logits(batch, undefined, undefined, false).sigmoid());
		const all = probabilities.dataSync() as Float32Array;
		probabilities.dispose();
		const labels = this.config.labels.length;
		const values = new Float32Array(batch.slots.length * labels);
		for (const [c, slot] of batch.slots.entries()) {
			values.set(all.subarray(slot * labels, (slot + 1) * labels), c * labels);
		}

		return values;
	}

	/**
	 * The span layer of `logits` for the candidates only: the encoder and the
	 * per-token parts (start, end, inside) are tensors, read once; each
	 * candidate's hidden layer is summed here in JS, and the output layer over
	 * all of them is one matMul (faster than JS dot products, even for one
	 * label). On wasm the tensor version spent half of prediction on slices
	 * and additions over every slot, padding and non-candidates included
	 * (memory passes, not arithmetic); this does only the candidates'
	 * arithmetic.
	 */
	#spanLayerInJs(batch: Batch): Float32Array {
		const {config} = this;
		const {hidden} = config;
		const rows = batch.sentences * batch.length;
		const parts = tf.tidy(() => {
			const input = tf.tensor2d(this.embed(batch), [rows, inputWidth(config)]);
			const h = this.encode(batch, input, undefined, false);
			const weights = tf.concat([this.#parameter('span_start'), this.#parameter('span_end'), this.#parameter('span_mean')], 1) as tf.Tensor2D;
			return matMul(h, weights);
		});
		// [rows, 3 * hidden]: a token's part as a span's start, as its end, and inside it.
		const perToken = parts.dataSync() as Float32Array;
		parts.dispose();
		const stride = 3 * hidden;
		const widthTable = this.#parameter('span_width').dataSync() as Float32Array;
		const bias = this.#parameter('span_b').dataSync() as Float32Array;
		// Per token, in one pass: its start part plus the span bias, and the running sums of the
		// inside parts along its sentence up to it and before it (padding is zero after the encoder's mask).
		const startPart = new Float32Array(rows * hidden);
		const running = new Float32Array(rows * hidden);
		const before = new Float32Array(rows * hidden);
		for (let row = 0; row < rows; row++) {
			const first = row % batch.length === 0;
			for (let k = 0; k < hidden; k++) {
				const at = (row * hidden) + k;
				const previous = first ? 0 : running[at - hidden]!;
				startPart[at] = perToken[(row * stride) + k]! + bias[k]!;
				before[at] = previous;
				running[at] = previous + perToken[(row * stride) + (2 * hidden) + k]!;
			}
		}

		// Each candidate's hidden layer, [candidates, hidden], then the output layer over them as one matMul.
		const candidates = batch.starts.length;
		const layer = new Float32Array(candidates * hidden);
		for (let c = 0; c < candidates; c++) {
			const w = batch.widths[c]!;
			const scale = 1 / (w + 1);
			const from = batch.starts[c]! * hidden;
			const to = batch.ends[c]! * hidden;
			const endFrom = (batch.ends[c]! * stride) + hidden;
			const widthFrom = w * hidden;
			const target = c * hidden;
			for (let k = 0; k < hidden; k++) {
				// The span's mean inside part is its running sum at the end less the one before its start.
				const value = startPart[from + k]! + perToken[endFrom + k]! + ((running[to + k]! - before[from + k]!) * scale) + widthTable[widthFrom + k]!;
				// Relu without a branch, which would mispredict about half the time here.
				layer[target + k] = (value + Math.abs(value)) * 0.5;
			}
		}

		const probabilities = tf.tidy(() => tf.fused.matMul({
			a: tf.tensor2d(layer, [candidates, hidden]), b: this.#parameter('out_w'), bias: this.#parameter('out_b'),
		}).sigmoid());
		const values = probabilities.dataSync() as Float32Array;
		probabilities.dispose();
		return values;
	}

	/**
	 * Add labels the network does not have yet (teach's cold start with
	 * patterns): each gets a new output column, starting as unlikely as a new
	 * network's labels. The other labels' weights are kept.
	 */
	addLabels(labels: readonly string[]): string[] {
		const fresh = [...new Set(labels)].filter(label => !this.config.labels.includes(label));
		if (fresh.length === 0) {
			return [];
		}

		const {hidden} = this.config;
		const seed = Math.floor(seededRandom(this.config.seed + this.config.labels.length + 1)() * 2_147_483_647);
		const weights = tf.tidy(() => tf.concat([
			this.#parameter('out_w'),
			tf.randomNormal([hidden, fresh.length], 0, Math.sqrt(2 / (hidden + fresh.length)), 'float32', seed),
		], 1));
		const biases = tf.tidy(() => tf.concat([this.#parameter('out_b'), tf.fill([fresh.length], -4)], 0));
		this.parameters.out_w!.dispose();
		this.parameters.out_b!.dispose();
		this.parameters.out_w = tf.variable(weights, true);
		this.parameters.out_b = tf.variable(biases, true);
		weights.dispose();
		biases.dispose();
		this.config.labels.push(...fresh);
		return fresh;
	}

	/** The named weights as plain arrays, for saving. */
	weights(): Array<{name: string; shape: number[]; values: Float32Array}> {
		return [
			...featureNames.map(name => ({name: `embed_${name}`, shape: [this.tables[name].rows, this.tables[name].width], values: this.tables[name].values})),
			...(this.chars ? [{name: charTableName, shape: [this.chars.rows, this.chars.width], values: this.chars.values}] : []),
			...Object.entries(this.parameters).map(([name, variable]) => ({name, shape: variable.shape, values: variable.dataSync() as Float32Array})),
		];
	}

	dispose(): void {
		for (const variable of Object.values(this.parameters)) {
			variable.dispose();
		}
	}
}
