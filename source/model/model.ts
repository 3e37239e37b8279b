import type {Span} from '../task/task.js';
import {inputHash} from '../task/hash.js';
import {prepareInputs, type PreparedSentence} from './data.js';
import {loadModel, saveModel, type ModelMeta} from './io.js';
import {defaultNetworkConfig, SpanNetwork, type NetworkConfig} from './network.js';
import type {ScorePool} from './pool/pool.js';
import {decode, scoreSentences, tokenSpanKey} from './train.js';
import type {WordVectors} from './vectors.js';

/** A span the model found, in its text's offsets, with its probability. */
export type PredictedSpan = Span & {score: number};

/**
 * The NER model as the rest of inkling sees it: predict on texts, save, and
 * the network for training. Texts are split into sentences; spans come back
 * in the offsets of the whole text.
 */
export class NerModel {
	/** A new, untrained model for these labels. */
	static blank(labels: readonly string[], overrides: Partial<Omit<NetworkConfig, 'labels'>> = {}, vectors?: WordVectors): NerModel {
		return new NerModel(SpanNetwork.create({...defaultNetworkConfig, ...overrides, labels: [...labels]}, vectors), {});
	}

	/** Load a model folder (or the `model-best` inside it). */
	static load(folder: string): NerModel {
		const {network, meta, folder: resolved} = loadModel(folder);
		return new NerModel(network, meta, resolved);
	}

	readonly network: SpanNetwork;
	readonly meta: ModelMeta;
	/** Where the model was loaded from, if it was. */
	readonly folder: string | undefined;

	private constructor(network: SpanNetwork, meta: ModelMeta, folder?: string) {
		this.network = network;
		this.meta = meta;
		this.folder = folder;
	}

	get labels(): string[] {
		return this.network.config.labels;
	}

	/**
	 * The entities in each text: spans at or over the threshold that overlap
	 * no better one. With `constraints` (per text: spans answered yes, and
	 * spans answered no), the best analysis that agrees with them: every
	 * accepted span, no rejected one.
	 */
	predict(texts: readonly string[], threshold = this.network.config.threshold ?? 0.5, constraints?: ReadonlyArray<{accepted: readonly Span[]; rejected: readonly Span[]} | undefined>): PredictedSpan[][] {
		const sentences = this.#sentences(texts);
		return this.#spans(texts, sentences, scoreSentences(this.network, sentences), threshold, constraints);
	}

	/**
	 * `predict`, with the scoring shared between this thread and a pool's
	 * helper threads, which hold this same model (see `ScorePool`).
	 */
	async predictInPool(pool: ScorePool, texts: readonly string[], threshold = this.network.config.threshold ?? 0.5): Promise<PredictedSpan[][]> {
		const sentences = this.#sentences(texts);
		return this.#spans(texts, sentences, await pool.score(this.network, sentences), threshold);
	}

	/** The sentences of the texts, each distinct text once: a text given twice gets its spans twice, not a double set. */
	#sentences(texts: readonly string[]): PreparedSentence[] {
		const inputs = [...new Set(texts)].map(text => ({
			text, inputHash: inputHash({text}), accepted: [], rejected: [],
		}));
		return prepareInputs(inputs, this.network.config).sentences;
	}

	/** Each text's spans, decoded from its sentences' scores. */
	#spans(texts: readonly string[], sentences: readonly PreparedSentence[], scores: readonly Float32Array[], threshold: number, constraints?: ReadonlyArray<{accepted: readonly Span[]; rejected: readonly Span[]} | undefined>): PredictedSpan[][] {
		const givenByInput = new Map(texts.map((text, index) => [inputHash({text}), constraints?.[index]]));
		const found = sentences.map((sentence, index) => {
			const given = givenByInput.get(sentence.inputHash);
			return decode(scores[index]!, 0, sentence, this.network.config.labels, threshold, given && sentenceConstraints(sentence, given));
		});
		const byInput = new Map<number, PredictedSpan[]>();
		for (const [index, sentence] of sentences.entries()) {
			const list = byInput.get(sentence.inputHash) ?? [];
			for (const span of found[index]!) {
				const start = sentence.offset + sentence.tokens[span.start]!.start;
				const end = sentence.offset + sentence.tokens[span.end]!.end;
				list.push({
					start, end, label: span.label, score: span.score,
				});
			}

			byInput.set(sentence.inputHash, list);
		}

		return texts.map(text => (byInput.get(inputHash({text})) ?? []).map(span => ({...span})));
	}

	/** Save to a model folder; `float16` stores the weights at half the size (see `saveModel`). */
	save(folder: string, meta: ModelMeta = {}, extra: Record<string, unknown> = {}, options: {float16?: boolean} = {}): void {
		saveModel(folder, this.network, {...this.meta, ...meta}, extra, options);
	}

	dispose(): void {
		this.network.dispose();
	}
}

/** Answers on a text as constraints on one of its sentences: its spans in token indices (spans that do not line up with its tokens are left out). */
function sentenceConstraints(sentence: {offset: number; tokens: ReadonlyArray<{start: number; end: number}>}, given: {accepted: readonly Span[]; rejected: readonly Span[]}) {
	const onTokens = (span: Span) => {
		const start = sentence.tokens.findIndex(token => sentence.offset + token.start === span.start);
		const end = sentence.tokens.findIndex(token => sentence.offset + token.end === span.end);
		return start === -1 || end < start ? undefined : {start, end, label: span.label};
	};

	const fixed = given.accepted.map(span => onTokens(span)).filter(span => span !== undefined);
	const forbidden = new Set(given.rejected.map(span => onTokens(span)).filter(span => span !== undefined).map(span => tokenSpanKey(span)));
	return {fixed, forbidden};
}
