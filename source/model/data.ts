import {inputHash} from '../task/hash.js';
import type {Span, Task} from '../task/task.js';
import {cutLong, splitSentences, type Sentence} from '../text/sentences.js';
import {spanToTokens} from '../text/spans.js';
import {tokenize, type Token} from '../text/tokenize.js';
import type {MergedInput} from './answers.js';
import {networkSentence, type NetworkConfig, type NetworkSentence} from './network.js';

export {isBinary, mergeAnswers, type MergedInput} from './answers.js';

/** A span on tokens of a sentence: tokens `start` to `end` inclusive. */
export type TokenSpan = {start: number; end: number; label: string};

/** A sentence of an input, tokenized, with its answers mapped onto candidate spans. */
export type PreparedSentence = NetworkSentence & {
	inputHash: number;
	text: string;
	/** Where the sentence starts in its input's text. */
	offset: number;
	tokens: Token[];
	gold?: TokenSpan[];
	accepted: TokenSpan[];
	rejected: TokenSpan[];
	/**
	 * On a sentence with yes/no answers only: what a model believed of every
	 * candidate before learning from them (`[candidates * labels]`), and the
	 * weight each belief has in the loss (see `targets`).
	 */
	prior?: {scores: Float32Array; weight: number};
};

/** Spans the model cannot learn, counted when data is prepared. */
export type PrepareReport = {
	inputs: number;
	sentences: number;
	tokens: number;
	spans: number;
	/** Span edges inside a token. */
	misaligned: number;
	/** Longer than the longest candidate, or starting or ending with punctuation. */
	notCandidates: number;
	/** Labels the model does not have. */
	otherLabels: number;
	/** Gold spans of the model's labels that it cannot predict (misaligned or not candidates), per label: evaluation counts them as misses. */
	missedGold: Record<string, number>;
};

function key(span: {start: number; end: number; label: string}): string {
	return `${span.start}:${span.end}:${span.label}`;
}

/** Longest piece of text the network sees at once, in tokens: longer sentences (a CV without line breaks, a 1 MB line) are cut into pieces. */
export const maxSentenceTokens = 160;

/**
 * Cut a sentence longer than `maxSentenceTokens` into pieces at token
 * boundaries that no span crosses, so long texts cost memory in proportion
 * to their length, and spans are never cut.
 */
export function chunkSentence(sentence: Sentence, spans: readonly Span[]): Array<Sentence & {tokens: Token[]}> {
	const tokens = tokenize(sentence.text);
	if (tokens.length <= maxSentenceTokens) {
		return [{...sentence, tokens}];
	}

	// Offsets (in the sentence) where a cut would fall inside a span.
	const inside = (offset: number) => spans.some(span => span.start - sentence.start < offset && span.end - sentence.start > offset);
	const pieces: Array<Sentence & {tokens: Token[]}> = [];
	let first = 0;
	while (first < tokens.length) {
		let last = Math.min(tokens.length, first + maxSentenceTokens) - 1;
		// Step back to a boundary no span crosses (but keep at least one token).
		while (last < tokens.length - 1 && last > first && inside(tokens[last + 1]!.start)) {
			last--;
		}

		const {start} = (tokens[first]!);
		const {end} = (tokens[last]!);
		const pieceTokens = tokens.slice(first, last + 1).map((token, id) => ({
			...token, id, start: token.start - start, end: token.end - start,
		}));
		pieces.push({
			text: sentence.text.slice(start, end), start: sentence.start + start, end: sentence.start + end, tokens: pieceTokens,
		});
		first = last + 1;
	}

	return pieces;
}

/**
 * Characters of a sentence tokenized at once when a text is read piece by
 * piece: far more than `maxSentenceTokens` tokens of any language, and small
 * enough that a 5 MB line without a full stop is read in steps of a few
 * milliseconds, so a reader that stops after a few pieces (teach's windows,
 * eval-ab's) does not first tokenize the whole line.
 */
const readStep = 16_384;

/**
 * The pieces a reader asks about, in order and lazily: the text's sentences,
 * each cut into pieces of at most `maxSentenceTokens` tokens. A sentence
 * longer than `readStep` characters is first cut at whitespace (or, in text
 * without any, anywhere) so that only what is read is tokenized.
 */
export function * textPieces(text: string): Generator<Sentence & {tokens: Token[]}> {
	for (const whole of splitSentences(text)) {
		let from = 0;
		while (from < whole.text.length) {
			const to = cutLong(whole.text, from, readStep);
			const slice = whole.text.slice(from, to);
			// A cut may leave spaces at either end: the pieces are trimmed as sentences are.
			const lead = slice.length - slice.trimStart().length;
			const body = slice.trim();
			if (body.length > 0) {
				yield * chunkSentence({text: body, start: whole.start + from + lead, end: whole.start + from + lead + body.length}, []);
			}

			from = to;
		}
	}
}

/** The pieces of every text of a source, lazily, each with the text it comes from. */
export function * sourcePieces<T extends {text: string}>(texts: Iterable<T>): Generator<{piece: Sentence & {tokens: Token[]}; from: T}> {
	for (const from of texts) {
		for (const piece of textPieces(from.text)) {
			yield {piece, from};
		}
	}
}

/** Split merged inputs into tokenized sentences with their answers on tokens. */
export function prepareInputs(inputs: readonly MergedInput[], config: Pick<NetworkConfig, 'labels' | 'maxSpanTokens'>): {sentences: PreparedSentence[]; report: PrepareReport} {
	const labels = new Set(config.labels);
	const report: PrepareReport = {
		inputs: inputs.length, sentences: 0, tokens: 0, spans: 0, misaligned: 0, notCandidates: 0, otherLabels: 0, missedGold: {},
	};
	const sentences: PreparedSentence[] = [];
	for (const input of inputs) {
		const all = [...(input.gold ?? []), ...input.accepted, ...input.rejected];
		for (const sentence of splitSentences(input.text, all).flatMap(whole => chunkSentence(whole, all))) {
			const {tokens} = sentence;
			if (tokens.length === 0) {
				continue;
			}

			const prepared: PreparedSentence = {
				...networkSentence(tokens, config),
				inputHash: input.inputHash,
				text: sentence.text,
				offset: sentence.start,
				tokens,
				accepted: [],
				rejected: [],
			};
			const candidateKeys = new Set(prepared.candidates.map(candidate => `${candidate.start}:${candidate.end}`));
			const toTokens = (spans: readonly Span[], count: boolean, isGold = false): TokenSpan[] => {
				const miss = (label: string) => {
					if (isGold) {
						report.missedGold[label] = (report.missedGold[label] ?? 0) + 1;
					}
				};

				const result: TokenSpan[] = [];
				const seen = new Set<string>();
				for (const span of spans) {
					if (span.start < sentence.start || span.end > sentence.end) {
						continue;
					}

					if (count) {
						report.spans++;
					}

					if (!labels.has(span.label)) {
						report.otherLabels += count ? 1 : 0;
						continue;
					}

					const indices = spanToTokens(tokens, {start: span.start - sentence.start, end: span.end - sentence.start});
					if (!indices) {
						report.misaligned += count ? 1 : 0;
						miss(span.label);
						continue;
					}

					const tokenSpan = {start: indices.token_start, end: indices.token_end, label: span.label};
					if (!candidateKeys.has(`${tokenSpan.start}:${tokenSpan.end}`)) {
						report.notCandidates += count ? 1 : 0;
						miss(span.label);
						continue;
					}

					if (!seen.has(key(tokenSpan))) {
						seen.add(key(tokenSpan));
						result.push(tokenSpan);
					}
				}

				return result;
			};

			if (input.gold) {
				prepared.gold = toTokens(input.gold, true, true);
			}

			prepared.accepted = toTokens(input.accepted, !input.gold);
			prepared.rejected = toTokens(input.rejected, !input.gold);
			report.sentences++;
			report.tokens += tokens.length;
			sentences.push(prepared);
		}
	}

	return {sentences, report};
}

/**
 * Targets and weights per candidate and label (`[candidates * labels]`) for
 * the loss: a complete annotation makes its spans positive and every other
 * candidate and label negative; an accepted span is positive, the same span
 * with other labels and every span overlapping it negative; a rejected span
 * is negative for its label only. On a sentence of yes/no answers with a
 * `prior`, every candidate and label that no answer judges keeps the prior's
 * probability as a soft target at the prior's (small) weight: a reject then
 * lowers the rejected span, not everything the model believed. Without a
 * prior nothing else has weight.
 */
export function targets(sentence: PreparedSentence, labels: readonly string[]): {targets: Float32Array; weights: Float32Array} {
	const labelCount = labels.length;
	const size = sentence.candidates.length * labelCount;
	const target = new Float32Array(size);
	const weight = new Float32Array(size);
	const labelIndex = new Map(labels.map((label, index) => [label, index]));
	const index = new Map(sentence.candidates.map((candidate, c) => [`${candidate.start}:${candidate.end}`, c]));
	const set = (c: number, l: number, value: number) => {
		target[(c * labelCount) + l] = value;
		weight[(c * labelCount) + l] = 1;
	};

	if (sentence.gold) {
		weight.fill(1);
	} else if (sentence.prior) {
		target.set(sentence.prior.scores.subarray(0, size));
		weight.fill(sentence.prior.weight);
	}

	const positives = [...(sentence.gold ?? []), ...sentence.accepted];
	for (const span of sentence.accepted) {
		const c = index.get(`${span.start}:${span.end}`)!;
		for (const [other, candidate] of sentence.candidates.entries()) {
			if (other !== c && candidate.start <= span.end && candidate.end >= span.start) {
				for (let l = 0; l < labelCount; l++) {
					set(other, l, 0);
				}
			}
		}

		for (let l = 0; l < labelCount; l++) {
			set(c, l, 0);
		}
	}

	for (const span of sentence.rejected) {
		set(index.get(`${span.start}:${span.end}`)!, labelIndex.get(span.label)!, 0);
	}

	for (const span of positives) {
		set(index.get(`${span.start}:${span.end}`)!, labelIndex.get(span.label)!, 1);
	}

	return {targets: target, weights: weight};
}
