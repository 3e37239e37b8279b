import type {WordVectors} from './vectors.js';

/**
 * Terms to ask about, each with a unit vector (a phrase's is the mean of its
 * words' unit vectors, made unit again): one flat `[count, width]` array, so
 * scoring every term after an answer is one pass over memory.
 */
export type TermCandidates = {
	readonly texts: readonly string[];
	readonly width: number;
	/** `[texts.length * width]` */
	readonly units: Float32Array;
};

/** How much a term's likeness to the rejected terms counts against it, beside its likeness to the accepted ones. */
const rejectWeight = 0.5;

/** Words of a term, in lower case, split at spaces. */
export function termWords(term: string): string[] {
	return term.toLowerCase().split(/\s+/u).filter(word => word !== '');
}

/** The unit vector of a term (the mean of its words' unit vectors), or undefined when a word has no vector. */
export function termVector(vectors: WordVectors, term: string): Float32Array | undefined {
	const words = termWords(term);
	if (words.length === 0) {
		return undefined;
	}

	// Indexed loops here and below: building 50,000 candidates is a pass over 5 million values, and iterators triple its time.
	const sum = new Float32Array(vectors.width);
	for (const word of words) {
		const row = vectors.row(word);
		if (row < 0) {
			return undefined;
		}

		const vector = vectors.vector(row);
		const length = norm(vector);
		if (length === 0) {
			return undefined;
		}

		// eslint-disable-next-line unicorn/no-for-loop -- see above
		for (let index = 0; index < vector.length; index++) {
			sum[index]! += vector[index]! / length;
		}
	}

	return unit(sum);
}

/** The Euclidean norm (a loop: `Math.hypot(...vector)` spreads the array into arguments, many times slower). */
function norm(vector: Float32Array): number {
	let sum = 0;
	// eslint-disable-next-line unicorn/no-for-loop, @typescript-eslint/prefer-for-of -- see termVector
	for (let index = 0; index < vector.length; index++) {
		sum += vector[index]! * vector[index]!;
	}

	return Math.sqrt(sum);
}

function unit(vector: Float32Array): Float32Array | undefined {
	const length = norm(vector);
	if (length === 0) {
		return undefined;
	}

	// eslint-disable-next-line unicorn/no-for-loop -- see termVector
	for (let index = 0; index < vector.length; index++) {
		vector[index]! /= length;
	}

	return vector;
}

/** Candidates from terms: those without a vector are left out. */
export function termCandidates(vectors: WordVectors, terms: Iterable<string>): TermCandidates {
	const texts: string[] = [];
	const rows: Float32Array[] = [];
	const seen = new Set<string>();
	for (const term of terms) {
		const text = termWords(term).join(' ');
		if (seen.has(text)) {
			continue;
		}

		seen.add(text);
		const vector = termVector(vectors, text);
		if (vector) {
			texts.push(text);
			rows.push(vector);
		}
	}

	const units = new Float32Array(texts.length * vectors.width);
	for (const [index, row] of rows.entries()) {
		units.set(row, index * vectors.width);
	}

	return {texts, width: vectors.width, units};
}

/** A term proposed, and how it scores against the answers so far. */
export type TermProposal = {
	readonly text: string;
	/** Cosine to the mean of the accepted terms, less half the cosine to the mean of the rejected ones. */
	readonly score: number;
	/** Cosine to the mean of the accepted terms. */
	readonly similarity: number;
};

/**
 * Ranks candidate terms by their likeness to the accepted terms (the seeds
 * among them) and unlikeness to the rejected ones. It keeps each candidate's
 * dot product with the sum of the accepted and of the rejected vectors, so an
 * answer costs one pass over the candidates (`count * width`), and an undo
 * takes the same pass back.
 */
export class TermRanker {
	readonly #candidates: TermCandidates;
	readonly #index: Map<string, number>;
	readonly #toAccepted: Float32Array;
	readonly #toRejected: Float32Array;
	readonly #accepted: Float32Array;
	readonly #rejected: Float32Array;
	readonly #asked: Uint8Array;
	#acceptedCount = 0;
	#rejectedCount = 0;

	constructor(candidates: TermCandidates) {
		this.#candidates = candidates;
		this.#index = new Map(candidates.texts.map((text, index) => [text, index]));
		this.#toAccepted = new Float32Array(candidates.texts.length);
		this.#toRejected = new Float32Array(candidates.texts.length);
		this.#accepted = new Float32Array(candidates.width);
		this.#rejected = new Float32Array(candidates.width);
		this.#asked = new Uint8Array(candidates.texts.length);
	}

	get accepted(): number {
		return this.#acceptedCount;
	}

	get rejected(): number {
		return this.#rejectedCount;
	}

	/** Candidates not asked about yet. */
	get remaining(): number {
		let count = 0;
		for (const asked of this.#asked) {
			count += asked === 0 ? 1 : 0;
		}

		return count;
	}

	/**
	 * Count an answer: `accept` moves the target toward the term's vector,
	 * `reject` away from it, `ignore` only marks it asked. `sign` -1 takes an
	 * answer back (undo).
	 */
	learn(text: string, vector: Float32Array | undefined, answer: 'accept' | 'reject' | 'ignore', sign: 1 | -1 = 1): void {
		const index = this.#index.get(text);
		if (index !== undefined) {
			this.#asked[index] = sign === 1 ? 1 : 0;
		}

		if (answer === 'ignore' || !vector) {
			return;
		}

		const sum = answer === 'accept' ? this.#accepted : this.#rejected;
		const dots = answer === 'accept' ? this.#toAccepted : this.#toRejected;
		const {width, units} = this.#candidates;
		for (let column = 0; column < width; column++) {
			sum[column]! += sign * vector[column]!;
		}

		// The hot loop of an answer: locals only, one running offset.
		const count = dots.length;
		let at = 0;
		for (let row = 0; row < count; row++) {
			let dot = 0;
			for (let column = 0; column < width; column++, at++) {
				dot += units[at]! * vector[column]!;
			}

			dots[row]! += sign * dot;
		}

		if (answer === 'accept') {
			this.#acceptedCount += sign;
		} else {
			this.#rejectedCount += sign;
		}
	}

	/** Mark a term asked without learning from it (answered in an earlier session without a vector). */
	skip(text: string): void {
		const index = this.#index.get(text);
		if (index !== undefined) {
			this.#asked[index] = 1;
		}
	}

	/** The best term not asked yet, or undefined when none is left or nothing is accepted yet. */
	next(): TermProposal | undefined {
		if (this.#acceptedCount === 0) {
			return undefined;
		}

		const acceptedNorm = norm(this.#accepted);
		const rejectedNorm = norm(this.#rejected);
		const asked = this.#asked;
		const toAccepted = this.#toAccepted;
		const toRejected = this.#toRejected;
		const acceptedScale = acceptedNorm > 0 ? 1 / acceptedNorm : 0;
		const rejectedScale = rejectedNorm > 1e-6 && this.#rejectedCount > 0 ? rejectWeight / rejectedNorm : 0;
		let best = -1;
		let bestScore = Number.NEGATIVE_INFINITY;
		for (const [row, wasAsked] of asked.entries()) {
			if (wasAsked === 1) {
				continue;
			}

			const score = (toAccepted[row]! * acceptedScale) - (toRejected[row]! * rejectedScale);
			if (score > bestScore) {
				bestScore = score;
				best = row;
			}
		}

		if (best < 0) {
			return undefined;
		}

		return {text: this.#candidates.texts[best]!, score: bestScore, similarity: acceptedNorm > 0 ? this.#toAccepted[best]! / acceptedNorm : 0};
	}

	/** A candidate's score now, or undefined for a term that is not a candidate. */
	scoreOf(text: string): number | undefined {
		const row = this.#index.get(text);
		return row === undefined ? undefined : this.#score(row, norm(this.#accepted), norm(this.#rejected));
	}

	#score(row: number, acceptedNorm: number, rejectedNorm: number): number {
		const toAccepted = acceptedNorm > 0 ? this.#toAccepted[row]! / acceptedNorm : 0;
		const toRejected = rejectedNorm > 1e-6 && this.#rejectedCount > 0 ? this.#toRejected[row]! / rejectedNorm : 0;
		return toAccepted - (rejectWeight * toRejected);
	}
}
