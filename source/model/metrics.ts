/** Precision, recall and F1 with the counts behind them. */
export type LabelScores = {precision: number; recall: number; f1: number; tp: number; fp: number; fn: number};

/** Scores on gold data: micro-averaged totals and per label. */
export type Scores = LabelScores & {per_label: Record<string, LabelScores>};

type Labelled = {start: number; end: number; label: string};

/** Micro-averaged F1 of summed counts: 2tp / (2tp + fp + fn), 0 when there is nothing. */
export function microF1(tp: number, fp: number, fn: number): number {
	const denominator = (2 * tp) + fp + fn;
	return denominator === 0 ? 0 : 2 * tp / denominator;
}

function finish(tp: number, fp: number, fn: number): LabelScores {
	const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
	const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
	const f1 = precision + recall === 0 ? 0 : 2 * precision * recall / (precision + recall);
	return {
		precision, recall, f1, tp, fp, fn,
	};
}

/**
 * Exact-match span scores: a predicted span counts when its offsets and label
 * equal a gold span's. `missed` adds gold spans the model could not predict
 * at all (cut inside a token, too long), which count as misses.
 */
export function scoreSpans(pairs: Iterable<{gold: readonly Labelled[]; predicted: readonly Labelled[]}>, labels: readonly string[], missed: Record<string, number> = {}): Scores {
	const counts = new Map(labels.map(label => [label, {tp: 0, fp: 0, fn: missed[label] ?? 0}]));
	const key = (span: Labelled) => `${span.start}:${span.end}:${span.label}`;
	for (const {gold, predicted} of pairs) {
		const goldKeys = new Set(gold.filter(span => counts.has(span.label)).map(span => key(span)));
		const predictedKeys = new Set(predicted.filter(span => counts.has(span.label)).map(span => key(span)));
		for (const span of predicted) {
			const count = counts.get(span.label);
			if (count) {
				if (goldKeys.has(key(span))) {
					count.tp++;
				} else {
					count.fp++;
				}
			}
		}

		for (const span of gold) {
			const count = counts.get(span.label);
			if (count && !predictedKeys.has(key(span))) {
				count.fn++;
			}
		}
	}

	const perLabel: Record<string, LabelScores> = {};
	let tp = 0;
	let fp = 0;
	let fn = 0;
	for (const [label, count] of counts) {
		perLabel[label] = finish(count.tp, count.fp, count.fn);
		tp += count.tp;
		fp += count.fp;
		fn += count.fn;
	}

	return {...finish(tp, fp, fn), per_label: perLabel};
}

/**
 * Two models' errors on the same sentences, counted as a reader comparing
 * them sentence by sentence would: in how many the new model makes fewer
 * errors than the base (wins), more (losses), or as many (ties).
 */
export function sentenceOutcomes(baseErrors: readonly number[], newErrors: readonly number[]): {wins: number; losses: number; ties: number} {
	if (baseErrors.length !== newErrors.length) {
		throw new Error(`${baseErrors.length} sentences for the base but ${newErrors.length} for the new model; they must be the same sentences.`);
	}

	const outcomes = {wins: 0, losses: 0, ties: 0};
	for (const [index, base] of baseErrors.entries()) {
		const errors = newErrors[index]!;
		if (errors < base) {
			outcomes.wins++;
		} else if (errors > base) {
			outcomes.losses++;
		} else {
			outcomes.ties++;
		}
	}

	return outcomes;
}

/** A sentence's errors by kind: what a reader would fix in the model, or in the gold. */
export type ErrorKinds<T> = {
	/** Predicted spans that overlap no gold span: found where the gold has nothing. */
	wrong: T[];
	/** Predicted spans that overlap a gold span without being it (other ends, or another label). */
	boundary: number;
	/** Gold spans that no predicted span overlaps. */
	missed: number;
};

/**
 * One sentence's errors by kind, on spans of tokens whose ends are
 * inclusive (a one-token span starts and ends on its token). A gold span
 * another prediction overlaps counts once, as that prediction's boundary.
 */
export function errorKinds<T extends Labelled>(gold: readonly Labelled[], predicted: readonly T[]): ErrorKinds<T> {
	const same = (a: Labelled, b: Labelled) => a.start === b.start && a.end === b.end && a.label === b.label;
	const overlap = (a: Labelled, b: Labelled) => a.start <= b.end && b.start <= a.end;
	const kinds: ErrorKinds<T> = {wrong: [], boundary: 0, missed: 0};
	for (const span of predicted) {
		if (gold.some(other => same(span, other))) {
			continue;
		}

		if (gold.some(other => overlap(span, other))) {
			kinds.boundary++;
		} else {
			kinds.wrong.push(span);
		}
	}

	kinds.missed = gold.filter(span => !predicted.some(other => overlap(span, other))).length;
	return kinds;
}
