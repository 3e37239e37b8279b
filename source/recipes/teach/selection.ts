/** Which proposals teach asks about first. */
/** `random` is a control for benchmarks: it shows what the other rules are worth. */
export const preferences = ['uncertain', 'high', 'low', 'random'] as const;
export type Prefer = typeof preferences[number];

/** A span the model (or a pattern) proposes in a sentence of the window. */
export type Proposal = {
	/** Index of the sentence in its window. */
	sentence: number;
	/** Tokens `start` to `end`, inclusive. */
	start: number;
	end: number;
	label: string;
	/** The model's probability. */
	score: number;
	/** The pattern that matched, for pattern proposals. */
	pattern?: string;
};

export type SelectionOptions = {
	prefer: Prefer;
	/** Moves the centre of `uncertain` from the model's decision threshold to that threshold + bias. */
	bias: number;
	/** At most this many questions from one sentence. */
	perSentence: number;
	/** At most this many questions from one window. */
	perWindow: number;
};

export const defaultSelection: SelectionOptions = {
	prefer: 'uncertain', bias: 0, perSentence: 2, perWindow: 10,
};

/**
 * Each window also gives up to this many of the best proposals it does not
 * ask, which the screen asks only when it has no other question (see
 * `TeachLoop.readWindow`). A model sure of most of its source finds about
 * three questions over the bar in a window of 20 sentences (20-40 ms on
 * wasm, and 100-180 ms for the first windows, while the code is cold and
 * the screen's thread starts), and a person answering in a burst wants more
 * than one each 10 ms. With 6, bursts of 80 answers found the queue empty in
 * 4 runs of 6 (and 300 answers in 2 of 5), in the first 50 answers; with 16,
 * in none of 6 and none of 4. A reserve question costs little: its window is
 * scored already.
 */
export const reservePerWindow = 16;

/** The selection rule, as `teach --help` prints it. */
export const selectionRule = [
	'Which questions: inkling reads the source ahead in windows of 20 sentences and',
	'scores every candidate span (1-10 tokens, not starting or ending with',
	'punctuation). From each window it asks about the 10 proposals with the highest',
	'priority, at most 2 per sentence, in the order of the text. With --prefer',
	'uncertain (the default) the priority is 1 - |logit(p) - logit(c)| / 4, where p',
	'is the probability and c the model\'s decision threshold (the probability from',
	'which it predicts a span) + --bias: the spans it is least sure of come first;',
	'with high it is p; with low, 1 - p; random (a control, to measure the others',
	'against) draws it at random.',
	'Proposals under a priority of 0.1 are left out, but a window with none over it',
	'still asks its best one, so a model sure there is nothing keeps asking.',
	'Pattern matches (--patterns) come before the model\'s proposals. After every 4',
	'answers, once answers pause for 60 ms, the model takes a few steps on them',
	'(at most 8 sentences an update) with a sample of earlier answers, and the',
	'questions waiting are rescored. While answers keep coming, it first reads',
	'ahead enough questions to last through an update at their pace; when they',
	'come faster than it can read, it only reads ahead, and learns when they slow.',
	`Each window also keeps a reserve: the best ${reservePerWindow} proposals it does not ask (over the`,
	'bar but past those limits, then under it), one a sentence, from sentences it',
	'asks nothing in. They are asked only when no other question is waiting: a',
	'person answering faster than the model finds questions gets these instead of',
	'a wait.',
].join('\n');

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * How far from the centre, in logits, a proposal's priority falls to 0: the
 * bar of 0.1 then keeps about 0.03-0.97 around a centre of 0.5, and
 * 0.003-0.8 around a threshold of 0.1.
 */
const uncertainWidth = 4;

/**
 * The priority of a proposal with probability `score`: higher is asked
 * first (`random` is drawn by the loop, which has the seed; here it is 0.5). `threshold` is the model's decision threshold: uncertain is centred
 * on it, as a span is predicted or not on its either side.
 */
export function priority(score: number, prefer: Prefer, bias = 0, threshold = 0.5): number {
	switch (prefer) {
		case 'high': {
			return score;
		}

		case 'low': {
			return 1 - score;
		}

		case 'random': {
			return 0.5;
		}

		case 'uncertain': {
			const centre = Math.min(0.95, Math.max(0.01, threshold + bias));
			const p = Math.min(1 - 1e-6, Math.max(1e-6, score));
			return Math.max(0, 1 - (Math.abs(logit(p) - logit(centre)) / uncertainWidth));
		}
	}
}

/**
 * Choose the questions of one window: pattern matches first, then the
 * highest priority (`rank`, by default `priority`), at most `perSentence` per
 * sentence and `perWindow` in all; spans of one sentence do not overlap.
 * Returned in the order of the text.
 */
export function chooseQuestions<P extends Proposal>(proposals: readonly P[], options: SelectionOptions, rank: (proposal: P) => number = proposal => priority(proposal.score, options.prefer, options.bias)): P[] {
	const ranked = proposals.map(proposal => ({proposal, rank: proposal.pattern === undefined ? rank(proposal) : 2}));
	ranked.sort((a, b) => b.rank - a.rank || a.proposal.sentence - b.proposal.sentence || a.proposal.start - b.proposal.start);
	const chosen: P[] = [];
	const perSentence = new Map<number, P[]>();
	for (const {proposal} of ranked) {
		if (chosen.length >= options.perWindow) {
			break;
		}

		const taken = perSentence.get(proposal.sentence) ?? [];
		if (taken.length >= options.perSentence || taken.some(other => proposal.start <= other.end && proposal.end >= other.start)) {
			continue;
		}

		taken.push(proposal);
		perSentence.set(proposal.sentence, taken);
		chosen.push(proposal);
	}

	return chosen.sort((a, b) => a.sentence - b.sentence || a.start - b.start);
}
