import {sourcePieces} from '../../model/data.js';
import {seededRandom} from '../../model/random.js';
import {inputHash} from '../../task/hash.js';
import type {Span} from '../../task/task.js';
import type {SourceText} from '../teach/types.js';
import {abTaskHash} from './answers.js';
import type {
	AbQuestion, AgreedSentence, ModelPair, Side,
} from './types.js';

/** Each text's spans by one model: `predict(model, texts)[i]` for `texts[i]`. */
export type Predict = (model: string, texts: readonly string[]) => Span[][];

export type ReaderOptions = {
	/** Model names, in the order of the command line. */
	models: readonly string[];
	/** Only spans of these labels are compared. */
	labels: readonly string[];
	/** Task hashes answered before: those questions are never asked again. */
	skipTasks: ReadonlySet<number>;
	seed: number;
	predict: Predict;
};

/** Every pair of models, each once, in command-line order: (a, b), (a, c), (b, c). */
export function modelPairs(models: readonly string[]): ModelPair[] {
	return models.flatMap((a, i) => models.slice(i + 1).map(b => [a, b] as const));
}

const spanKey = (span: Span) => `${span.start}:${span.end}:${span.label}`;

/** Whether two outputs have the same spans (offsets and labels; scores aside). */
export function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
	if (a.length !== b.length) {
		return false;
	}

	const keys = new Set(a.map(span => spanKey(span)));
	return b.every(span => keys.has(spanKey(span)));
}

type Pending = {text: string; inputHash: number; id: number; models: ModelPair; meta: Record<string, unknown>};

/**
 * Reads the source in sentences, hands them to the model pairs in turn
 * (round robin, one pair per sentence, so every pair sees as many), and
 * makes a blind question of each sentence whose two outputs differ, on
 * random sides. Sentences where they agree are kept to go with the next
 * question. No tensors: `predict` does the model's work.
 */
export class AbReader {
	readonly options: ReaderOptions;
	readonly pairs: ModelPair[];
	/** The source's pieces, read lazily: a batch stops after `size` of them, even inside a long text. */
	readonly #pieces: ReturnType<typeof sourcePieces<SourceText>>;
	readonly #random: () => number;
	/** Sentences read so far: picks the next pair. */
	#turn = 0;
	readonly #seen = new Set<number>();
	readonly #agreed: AgreedSentence[] = [];
	#exhausted = false;

	constructor(texts: Iterable<SourceText>, options: ReaderOptions) {
		this.options = options;
		this.pairs = modelPairs(options.models);
		this.#pieces = sourcePieces(texts);
		this.#random = seededRandom(options.seed + 11);
	}

	/** Whether the source has been read to its end. */
	get exhausted(): boolean {
		return this.#exhausted;
	}

	/** Agreed sentences no question has taken yet (after the last question, when the source is done). */
	takeAgreed(): AgreedSentence[] {
		return this.#agreed.splice(0);
	}

	/** The next `size` sentences to ask about, each with its pair; answered ones are passed by. */
	#read(size: number): Pending[] {
		const pending: Pending[] = [];
		while (pending.length < size) {
			const next = this.#pieces.next();
			if (next.done) {
				this.#exhausted = true;
				break;
			}

			const {piece, from: {meta, line}} = next.value;
			if (piece.tokens.length === 0) {
				continue;
			}

			// The turn moves on every sentence, asked or not, so a restart gives each sentence the same pair.
			const models = this.pairs[this.#turn++ % this.pairs.length]!;
			const input = inputHash({text: piece.text});
			const id = abTaskHash(piece.text, input, models);
			if (this.options.skipTasks.has(id) || this.#seen.has(id)) {
				continue;
			}

			this.#seen.add(id);
			pending.push({
				text: piece.text, inputHash: input, id, models, meta: {...meta, ...(line === undefined ? {} : {line})},
			});
		}

		return pending;
	}

	/** Each pending sentence's spans by each model of its pair, by model. */
	#outputs(pending: readonly Pending[]): Array<Record<string, Span[]>> {
		const outputs = pending.map(() => {
			const output: Record<string, Span[]> = {};
			return output;
		});
		for (const model of this.options.models) {
			const indices = pending.flatMap((item, index) => item.models.includes(model) ? [index] : []);
			if (indices.length === 0) {
				continue;
			}

			const found = this.options.predict(model, indices.map(index => pending[index]!.text));
			for (const [k, index] of indices.entries()) {
				outputs[index]![model] = found[k]!
					.filter(span => this.options.labels.includes(span.label))
					.map(span => ({...span, text: pending[index]!.text.slice(span.start, span.end)}))
					.sort((a, b) => a.start - b.start);
			}
		}

		return outputs;
	}

	/**
	 * The questions among the next `size` sentences (empty when the models
	 * agree on all of them); undefined when the source is done.
	 */
	next(size = 20): AbQuestion[] | undefined {
		const pending = this.#read(size);
		if (pending.length === 0 && this.#exhausted) {
			return undefined;
		}

		const outputs = this.#outputs(pending);
		const questions: AbQuestion[] = [];
		for (const [index, item] of pending.entries()) {
			const [a, b] = item.models;
			const output = outputs[index]!;
			if (sameSpans(output[a]!, output[b]!)) {
				this.#agreed.push({...item, spans: output[a]!});
				continue;
			}

			const swap = this.#random() < 0.5;
			const mapping: Record<Side, string> = swap ? {1: b, 2: a} : {1: a, 2: b};
			questions.push({
				...item, mapping, outputs: output, agreed: this.takeAgreed(),
			});
		}

		return questions;
	}
}
