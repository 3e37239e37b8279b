import {UserError} from '../errors.js';
import {sourcePieces} from '../model/data.js';
import {
	TermRanker, termCandidates, termVector, termWords, type TermCandidates, type TermProposal,
} from '../model/terms.js';
import type {WordVectors} from '../model/vectors.js';
import type {Answer, Task} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {readSource} from './source.js';

/** A word a candidate term may be made of: letters, with inner hyphens or apostrophes. */
const wordPattern = /^\p{L}(?:[\p{L}'’-]*\p{L})?$/u;

/** The table's most frequent words ("the", "of", "and"...): a phrase may hold them inside, never start or end with one. */
const commonWords = 200;

/** Candidate terms from a vector table: its first `limit` words (tables list words by frequency) that are words, not numbers or punctuation. */
export function tableTerms(vectors: WordVectors, limit: number): string[] {
	const terms: string[] = [];
	for (const word of vectors.words) {
		if (terms.length >= limit) {
			break;
		}

		if (word.length >= 2 && wordPattern.test(word) && word === word.toLowerCase()) {
			terms.push(word);
		}
	}

	return terms;
}

/**
 * Candidate terms from the user's texts: the words, and the phrases of two or
 * three words, that occur at least `minCount` times, most frequent first (at
 * most `limit`). A phrase neither starts nor ends with one of the table's most
 * common words, so "nurse in" and "the manager" are not asked about.
 */
export function sourceTerms(file: string, vectors: WordVectors, options: {minCount: number; limit: number}): string[] {
	const common = new Set(vectors.words.slice(0, commonWords));
	const counts = new Map<string, number>();
	const count = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
	for (const {piece} of sourcePieces(readSource(file))) {
		const words = piece.tokens.map(token => token.text.toLowerCase());
		for (let start = 0; start < words.length; start++) {
			for (let length = 1; length <= 3 && start + length <= words.length; length++) {
				const phrase = words.slice(start, start + length);
				if (!phrase.every(word => wordPattern.test(word))) {
					break;
				}

				if (length > 1 && (common.has(phrase[0]!) || common.has(phrase.at(-1)!))) {
					continue;
				}

				if (length === 1 && (common.has(phrase[0]!) || phrase[0]!.length < 2)) {
					continue;
				}

				count(phrase.join(' '));
			}
		}
	}

	return [...counts].filter(([, n]) => n >= options.minCount).sort((a, b) => b[1] - a[1]).slice(0, options.limit).map(([term]) => term);
}

/** A terms answer as it is stored: Prodigy's terms.teach task, `{"text": "nurse", "answer": "accept"}`. */
export function termTask(proposal: {text: string; score?: number}, answer: Answer, meta: Record<string, unknown> = {}): Task {
	return {
		text: proposal.text,
		answer,
		meta: {...(proposal.score === undefined ? {} : {score: Number(proposal.score.toFixed(4))}), ...meta},
	};
}

export type TermsOptions = {
	readonly vectors: WordVectors;
	readonly candidates: TermCandidates;
	/** Seed terms, comma-separated on the command line: accepted before the first question. */
	readonly seeds: readonly string[];
	/** The dataset's answers so far (an earlier session): replayed, so the target starts where it stopped. */
	readonly answered: ReadonlyArray<{text: string; answer?: Answer}>;
};

/**
 * One terms session: the ranker, the seeds and earlier answers replayed, and
 * the answers of this session in order (for undo). Pure: saving is the
 * caller's.
 */
export class TermsSession {
	readonly #vectors: WordVectors;
	readonly #ranker: TermRanker;
	readonly #answers: Array<{text: string; answer: Answer; score: number}> = [];
	/** The seeds this session adds to the dataset (those not answered there before). */
	readonly newSeeds: string[];

	constructor(options: TermsOptions) {
		this.#vectors = options.vectors;
		this.#ranker = new TermRanker(options.candidates);
		const known = new Set<string>();
		for (const {text, answer} of options.answered) {
			const term = termWords(text).join(' ');
			known.add(term);
			if (answer === 'accept' || answer === 'reject') {
				this.#ranker.learn(term, termVector(this.#vectors, term), answer);
			} else {
				this.#ranker.skip(term);
			}
		}

		this.newSeeds = [];
		for (const seed of options.seeds) {
			const term = termWords(seed).join(' ');
			const vector = termVector(this.#vectors, term);
			if (!vector) {
				const missing = termWords(seed).filter(word => this.#vectors.row(word) < 0);
				throw new UserError(`--seeds: "${terminalSafe(seed, {singleLine: true})}" has no vector (${missing.map(word => `"${terminalSafe(word, {singleLine: true})}"`).join(', ') || 'empty'} not in the table): choose another seed.`);
			}

			if (!known.has(term)) {
				known.add(term);
				this.newSeeds.push(term);
				this.#ranker.learn(term, vector, 'accept');
			}
		}

		if (this.#ranker.accepted === 0) {
			throw new UserError('No accepted terms to start from: give some with --seeds "nurse,manager,engineer".');
		}
	}

	get accepted(): number {
		return this.#ranker.accepted;
	}

	get rejected(): number {
		return this.#ranker.rejected;
	}

	/** Answers of this session, oldest first. */
	get answers(): ReadonlyArray<{text: string; answer: Answer; score: number}> {
		return this.#answers;
	}

	/** The term to ask about next, or undefined when every candidate was asked. */
	next(): TermProposal | undefined {
		return this.#ranker.next();
	}

	/** Learn from an answer to a proposal. */
	answer(proposal: TermProposal, answer: Answer): void {
		this.#answers.push({text: proposal.text, answer, score: proposal.score});
		this.#ranker.learn(proposal.text, termVector(this.#vectors, proposal.text), answer);
	}

	/** Take back this session's latest answer; returns it, or undefined when there is none. */
	undo(): {text: string; answer: Answer; score: number} | undefined {
		const last = this.#answers.pop();
		if (last) {
			this.#ranker.learn(last.text, termVector(this.#vectors, last.text), last.answer, -1);
		}

		return last;
	}
}

/** A patterns file's lines (Prodigy's `{"label", "pattern"}`, one token object per word) from terms answers: the latest answer per term counts, accepted ones are written. */
export function patternsOfTerms(tasks: readonly Task[], label: string): Array<{label: string; pattern: Array<{lower: string}>}> {
	const latest = new Map<string, Answer | undefined>();
	for (const task of tasks) {
		const term = termWords(task.text).join(' ');
		if (term !== '') {
			latest.delete(term);
			latest.set(term, task.answer);
		}
	}

	return [...latest].filter(([, answer]) => answer === 'accept').map(([term]) => ({label, pattern: termWords(term).map(word => ({lower: word}))}));
}
