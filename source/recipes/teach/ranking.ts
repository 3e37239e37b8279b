import {seededRandom} from '../../model/random.js';
import {type Pattern, matchPatterns} from './patterns.js';
import type {Sentence} from './reader.js';
import {
	chooseQuestions, priority, type Prefer, type Proposal, type SelectionOptions,
} from './selection.js';

/** How a proposal ranks: higher is asked first. */
export type Rank = (proposal: Proposal) => number;

/**
 * A session's one rank function, used to choose, to rescore and to order
 * questions: a benchmark's own `rank`; for `random`, a draw from the seed;
 * else `priority`, centred on the model's threshold as it is when asked.
 */
export function ranker(options: {prefer: Prefer; bias: number; seed: number; rank?: Rank}, threshold: () => number): Rank {
	if (options.rank) {
		return options.rank;
	}

	if (options.prefer === 'random') {
		const draw = seededRandom(options.seed + 101);
		return () => draw();
	}

	return proposal => priority(proposal.score, options.prefer, options.bias, threshold());
}

/** The `size` highest-ranked proposals offered, best first; of equal ones, the first offered. */
class BestProposals {
	readonly #size: number;
	readonly #kept: Array<{proposal: Proposal; rank: number}> = [];

	constructor(size: number) {
		this.#size = size;
	}

	/** Whether a proposal of this rank would be kept. */
	wants(rank: number): boolean {
		return this.#kept.length < this.#size || rank > this.#kept.at(-1)!.rank;
	}

	add(proposal: Proposal, rank: number): void {
		if (!this.wants(rank)) {
			return;
		}

		const at = this.#kept.findIndex(other => other.rank < rank);
		this.#kept.splice(at === -1 ? this.#kept.length : at, 0, {proposal, rank});
		this.#kept.length = Math.min(this.#kept.length, this.#size);
	}

	/** The best `count` (none when `count` is 0 or less). */
	best(count: number): Proposal[] {
		return this.#kept.slice(0, Math.max(0, count)).map(entry => entry.proposal);
	}
}

export type WindowRanking = SelectionOptions & {
	/** The network's labels, in the order of its scores. */
	labels: readonly string[];
	/** The labels asked about. */
	asked: readonly string[];
	patterns: readonly Pattern[];
	/** Model proposals with a lower rank are not asked. */
	minPriority: number;
	rank: Rank;
};

/**
 * Ranking for teach: of one window's sentences and their scores (per
 * sentence, `[candidates * labels]`), the proposals to ask, and a `reserve`
 * of up to that many more: the best it does not ask (over `minPriority` but
 * past the window's or a sentence's limit, then under it), one a sentence,
 * from sentences with no question. Pattern matches come first. A window
 * with nothing over `minPriority` still asks its best proposal, as a model
 * sure of "no entity" everywhere would otherwise read the whole source and
 * ask nothing.
 */
export function rankWindow(sentences: readonly Sentence[], scores: readonly Float32Array[], ranking: WindowRanking, reserve = 0): {chosen: Proposal[]; reserve: Proposal[]} {
	const {labels, minPriority, rank} = ranking;
	const asked = ranking.asked.map(label => ({label, index: labels.indexOf(label)}));
	const proposals: Proposal[] = [];
	// The window's best proposals under `minPriority`, best first (the earlier on a tie): the fallback,
	// then the reserve. Kept generously, as the reserve leaves out overlaps and sentences with a question.
	const below = new BestProposals(1 + (reserve * 4));
	for (const [s, sentence] of sentences.entries()) {
		const probabilities = scores[s]!;
		const fromPatterns = new Set<string>();
		const matches = matchPatterns(ranking.patterns, sentence.words);
		if (matches.length > 0) {
			const candidateIndex = new Map(sentence.candidates.map((candidate, c) => [`${candidate.start}:${candidate.end}`, c]));
			for (const match of matches) {
				const c = candidateIndex.get(`${match.start}:${match.end}`);
				if (c !== undefined) {
					fromPatterns.add(`${match.start}:${match.end}:${match.label}`);
					proposals.push({
						sentence: s, start: match.start, end: match.end, label: match.label, pattern: match.pattern,
						score: probabilities[(c * labels.length) + labels.indexOf(match.label)]!,
					});
				}
			}
		}

		// Every candidate of every sentence is ranked (thousands a window): a proposal is kept only when it may be asked.
		for (const [c, {start, end}] of sentence.candidates.entries()) {
			for (const {label, index} of asked) {
				const proposal = {
					sentence: s, start, end, label, score: probabilities[(c * labels.length) + index]!,
				};
				const value = rank(proposal);
				if ((value < minPriority && !below.wants(value)) || (fromPatterns.size > 0 && fromPatterns.has(`${start}:${end}:${label}`))) {
					continue;
				}

				if (value >= minPriority) {
					proposals.push(proposal);
				} else {
					below.add(proposal, value);
				}
			}
		}
	}

	const fallback = proposals.length === 0 ? below.best(1) : [];
	const chosen = chooseQuestions([...proposals, ...fallback], ranking, rank);
	const withQuestions = new Set(chosen.map(proposal => proposal.sentence));
	const spare = reserve > 0
		? [...proposals, ...below.best(Number.POSITIVE_INFINITY)].filter(proposal => !withQuestions.has(proposal.sentence) && !fallback.includes(proposal))
		: [];
	return {
		chosen,
		reserve: reserve > 0 ? chooseQuestions(spare, {...ranking, perSentence: 1, perWindow: reserve}, rank) : [],
	};
}
