import {microF1, sentenceOutcomes} from '../model/metrics.js';
import {seededRandom} from '../model/random.js';

/** A share with its confidence interval, all in [0, 1]. */
export type Interval = {share: number; low: number; high: number};

/** The p-value a verdict must be under to call a preference. */
export const significance = 0.05;

/** Wilson score interval of a binomial share (95% at the default z); with no trials, share 0 in [0, 1]. */
export function wilson(successes: number, trials: number, z = 1.96): Interval {
	if (trials <= 0) {
		return {share: 0, low: 0, high: 1};
	}

	const share = successes / trials;
	const z2 = z * z;
	const denominator = 1 + (z2 / trials);
	const centre = (share + (z2 / (2 * trials))) / denominator;
	const half = (z / denominator) * Math.sqrt((share * (1 - share) / trials) + (z2 / (4 * trials * trials)));
	// At 0 or all successes the bound is exactly 0 or 1; float rounding would leave 1e-17 off.
	return {
		share,
		low: successes <= 0 ? 0 : Math.max(0, centre - half),
		high: successes >= trials ? 1 : Math.min(1, centre + half),
	};
}

/** `log(k!)` for k = 0..n. */
function logFactorials(n: number): Float64Array {
	const table = new Float64Array(n + 1);
	for (let k = 1; k <= n; k++) {
		table[k] = table[k - 1]! + Math.log(k);
	}

	return table;
}

/** Exact two-sided sign-test p-value: 2 P(X <= min(wins, losses)) for X ~ Bin(wins + losses, 0.5), at most 1; ties are left out by the caller. */
export function signTest(wins: number, losses: number): number {
	const n = wins + losses;
	if (n <= 0) {
		return 1;
	}

	const k = Math.min(wins, losses);
	const logs = logFactorials(n);
	const logHalfN = n * Math.log(0.5);
	// Log-sum-exp over the terms log C(n, i) + n log 0.5, so n of 10,000 neither under- nor overflows.
	const terms = Array.from({length: k + 1}, (_, i) => logs[n]! - logs[i]! - logs[n - i]! + logHalfN);
	const largest = Math.max(...terms);
	const sum = terms.reduce((total, term) => total + Math.exp(term - largest), 0);
	return Math.min(1, 2 * Math.exp(largest + Math.log(sum)));
}

/** A polynomial at x, coefficients from the highest power down (Horner's rule). */
function polynomial(coefficients: readonly number[], x: number): number {
	let value = 0;
	for (const coefficient of coefficients) {
		value = (value * x) + coefficient;
	}

	return value;
}

/** The standard normal quantile (Acklam's rational approximation, relative error under 1.2e-9). */
export function normalQuantile(p: number): number {
	if (p <= 0) {
		return Number.NEGATIVE_INFINITY;
	}

	if (p >= 1) {
		return Number.POSITIVE_INFINITY;
	}

	const a = [-3.969_683_028_665_376e1, 2.209_460_984_245_205e2, -2.759_285_104_469_687e2, 1.383_577_518_672_69e2, -3.066_479_806_614_716e1, 2.506_628_277_459_239];
	const b = [-5.447_609_879_822_406e1, 1.615_858_368_580_409e2, -1.556_989_798_598_866e2, 6.680_131_188_771_972e1, -1.328_068_155_288_572e1, 1];
	const c = [-7.784_894_002_430_293e-3, -3.223_964_580_411_365e-1, -2.400_758_277_161_838, -2.549_732_539_343_734, 4.374_664_141_464_968, 2.938_163_982_698_783];
	const d = [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416, 1];
	const tail = (q: number) => polynomial(c, q) / polynomial(d, q);
	if (p < 0.024_25) {
		return tail(Math.sqrt(-2 * Math.log(p)));
	}

	if (p > 1 - 0.024_25) {
		return -tail(Math.sqrt(-2 * Math.log(1 - p)));
	}

	const q = p - 0.5;
	const r = q * q;
	return polynomial(a, r) * q / polynomial(b, r);
}

/**
 * About how many decisive answers (ties left out) a two-sided sign test at
 * `alpha` needs to detect, with probability `power`, a true preference of
 * `share` for one model. Normal approximation to the binomial:
 * n = ((z(1 - alpha/2) * 0.5 + z(power) * sqrt(share (1 - share))) / (share - 0.5))^2, rounded up
 * (194 for a 60/40 preference at the defaults; the exact test needs a few more at most).
 */
export function answersToSettle(share = 0.6, alpha = significance, power = 0.8): number {
	if (!(share > 0 && share < 1) || share === 0.5) {
		return Number.POSITIVE_INFINITY;
	}

	const zAlpha = normalQuantile(1 - (alpha / 2));
	const zPower = normalQuantile(power);
	const root = ((zAlpha * 0.5) + (zPower * Math.sqrt(share * (1 - share)))) / Math.abs(share - 0.5);
	return Math.ceil(root * root);
}

/**
 * About how many more answers settle a `share` preference, given `decisive`
 * answers that picked a model and `answered` answers in all (ties too): the
 * decisive answers still missing, scaled up by the share of answers so far
 * that were ties. 0 when enough are in.
 */
export function moreAnswersToSettle(decisive: number, answered = decisive, share = 0.6, alpha = significance, power = 0.8): number {
	const missing = answersToSettle(share, alpha, power) - decisive;
	if (missing <= 0) {
		return 0;
	}

	const decisiveRate = decisive > 0 && answered > decisive ? decisive / answered : 1;
	return Math.ceil(missing / decisiveRate);
}

/** A p-value as a verdict prints it: `p = 0.003`, `p = 0.41`, `p < 0.001`. */
export function formatP(p: number): string {
	if (p < 0.001) {
		return 'p < 0.001';
	}

	if (p >= 0.1) {
		return `p = ${Number(p.toFixed(2))}`;
	}

	// Three decimals, or four when rounding would lift a significant p to the line.
	const text = p < significance && p.toFixed(3) === significance.toFixed(3) ? p.toFixed(4) : p.toFixed(3);
	return `p = ${text}`;
}

/** One answer of an A/B test: the winning model's name (or path), a tie, or a skip, and the two models shown. */
export type AbAnswer = {winner: string; models: readonly [string, string]};

/** One model's record over every answer it was shown in. */
export type AbModelSummary = {
	name: string;
	wins: number;
	losses: number;
	ties: number;
	/** Its share of the decisive answers it was in (wins / (wins + losses)), with a 95% Wilson interval. */
	share: Interval;
};

/** The answers between two models. */
export type AbPairSummary = {
	a: string;
	b: string;
	aWins: number;
	bWins: number;
	ties: number;
	/** Two-sided sign-test p-value of a against b (ties left out). */
	p: number;
};

/** A model's place in the ranking. */
export type AbRank = {
	name: string;
	/** Bradley–Terry strength: the chance it beats model j is strength / (strength + strength_j); 1 is a model that wins half its games against a reference. */
	strength: number;
	/** Wins over decisive answers, with a 95% Wilson interval (the same as the model's share). */
	winRate: Interval;
};

export type AbSummary = {
	/** Answers in all, decisive ones (a model won), ties and skips. */
	answers: number;
	decisive: number;
	ties: number;
	skipped: number;
	/** Per model, in the order given (models only seen in answers after). */
	models: AbModelSummary[];
	/** Every pair of models, in the order of `models`. */
	pairs: AbPairSummary[];
	/** Best first, by Bradley–Terry strength. */
	ranking: AbRank[];
	/** The model the test prefers at p < 0.05 (over every other, with more than two models), if any. */
	preferred: string | undefined;
	/** About how many more answers would settle a 60/40 preference, when none is preferred yet (0 once enough are in). */
	moreAnswers: number;
	/** One plain sentence: which model is preferred and at what p, or how many more answers would tell. */
	verdict: string;
};

/**
 * Bradley–Terry strengths of `count` models from the games between them (by
 * index), by Hunter's MM algorithm. A tie counts half a win
 * to each side. A prior of `prior` wins and `prior` losses against a
 * reference player of strength 1 keeps a model with no wins (or no losses)
 * finite and fixes the scale.
 */
export function bradleyTerry(count: number, games: ReadonlyArray<{a: number; b: number; aWins: number; bWins: number; ties: number}>, prior = 0.5): number[] {
	const wins = Array.from<number>({length: count}).fill(prior);
	const played = Array.from({length: count}, () => Array.from<number>({length: count}).fill(0));
	for (const game of games) {
		wins[game.a]! += game.aWins + (game.ties / 2);
		wins[game.b]! += game.bWins + (game.ties / 2);
		const total = game.aWins + game.bWins + game.ties;
		played[game.a]![game.b]! += total;
		played[game.b]![game.a]! += total;
	}

	let strengths = Array.from<number>({length: count}).fill(1);
	for (let iteration = 0; iteration < 10_000; iteration++) {
		const next: number[] = [];
		let change = 0;
		for (let i = 0; i < count; i++) {
			let denominator = 2 * prior / (strengths[i]! + 1);
			for (let j = 0; j < count; j++) {
				if (j !== i && played[i]![j]! > 0) {
					denominator += played[i]![j]! / (strengths[i]! + strengths[j]!);
				}
			}

			next.push(wins[i]! / denominator);
			change = Math.max(change, Math.abs(next[i]! - strengths[i]!) / strengths[i]!);
		}

		strengths = next;
		if (change < 1e-10) {
			break;
		}
	}

	return strengths;
}

/**
 * Summarise A/B answers between two or more models: wins, losses and ties
 * per model, shares with Wilson intervals, a sign test per pair, a
 * Bradley–Terry ranking, and a verdict sentence.
 */
export function summarizeAb(answers: Iterable<AbAnswer>, models: readonly string[]): AbSummary {
	const names = [...new Set(models)];
	const indexOf = (name: string) => {
		let index = names.indexOf(name);
		if (index === -1) {
			index = names.push(name) - 1;
		}

		return index;
	};

	const games = new Map<string, {a: number; b: number; aWins: number; bWins: number; ties: number}>();
	let total = 0;
	let ties = 0;
	let skipped = 0;
	for (const answer of answers) {
		total++;
		if (answer.winner === 'skip') {
			skipped++;
			continue;
		}

		let a = indexOf(answer.models[0]);
		let b = indexOf(answer.models[1]);
		if (a === b) {
			continue;
		}

		if (a > b) {
			[a, b] = [b, a];
		}

		const game = games.get(`${a}:${b}`) ?? {
			a, b, aWins: 0, bWins: 0, ties: 0,
		};
		games.set(`${a}:${b}`, game);
		switch (answer.winner) {
			case 'tie': {
				ties++;
				game.ties++;
				break;
			}

			case names[a]: {
				game.aWins++;
				break;
			}

			case names[b]: {
				game.bWins++;
				break;
			}

			default: {
				// A winner that is neither shown model says nothing about these two.
				skipped++;
			}
		}
	}

	const records = names.map(name => ({
		name, wins: 0, losses: 0, ties: 0,
	}));
	for (const game of games.values()) {
		records[game.a]!.wins += game.aWins;
		records[game.a]!.losses += game.bWins;
		records[game.a]!.ties += game.ties;
		records[game.b]!.wins += game.bWins;
		records[game.b]!.losses += game.aWins;
		records[game.b]!.ties += game.ties;
	}

	const summaries: AbModelSummary[] = records.map(record => ({...record, share: wilson(record.wins, record.wins + record.losses)}));
	const pairs: AbPairSummary[] = [];
	for (let a = 0; a < names.length; a++) {
		for (let b = a + 1; b < names.length; b++) {
			const game = games.get(`${a}:${b}`) ?? {aWins: 0, bWins: 0, ties: 0};
			pairs.push({
				a: names[a]!, b: names[b]!, aWins: game.aWins, bWins: game.bWins, ties: game.ties, p: signTest(game.aWins, game.bWins),
			});
		}
	}

	const strengths = bradleyTerry(names.length, [...games.values()]);
	const ranking = names
		.map((name, index) => ({name, strength: strengths[index]!, winRate: summaries[index]!.share}))
		.sort((x, y) => y.strength - x.strength);
	const decisive = summaries.reduce((sum, model) => sum + model.wins, 0);
	const {preferred, moreAnswers, verdict} = judge(ranking, pairs, decisive, decisive + ties);
	return {
		answers: total, decisive, ties, skipped, models: summaries, pairs, ranking, preferred, moreAnswers, verdict,
	};
}

function judge(ranking: readonly AbRank[], pairs: readonly AbPairSummary[], decisive: number, answered: number): Pick<AbSummary, 'preferred' | 'moreAnswers' | 'verdict'> {
	const settle = answersToSettle();
	if (ranking.length < 2) {
		return {preferred: undefined, moreAnswers: settle, verdict: 'nothing to compare yet: answers name fewer than two models'};
	}

	const leader = ranking[0]!.name;
	// The leader against each other model, as (leader wins, other wins, p).
	const against = ranking.slice(1).map(({name}) => {
		const pair = pairs.find(pair => (pair.a === leader && pair.b === name) || (pair.b === leader && pair.a === name))!;
		const [wins, losses] = pair.a === leader ? [pair.aWins, pair.bWins] : [pair.bWins, pair.aWins];
		return {
			name, wins, losses, p: pair.p,
		};
	});
	const decided = against.every(other => other.wins > other.losses && other.p < significance);
	if (decided) {
		const worst = Math.max(...against.map(other => other.p));
		const over = against.length === 1 ? against[0]!.name : 'every other model';
		return {preferred: leader, moreAnswers: 0, verdict: `${leader} is preferred over ${over} (${formatP(worst)})`};
	}

	// Pairs are settled on their own answers: count those of the closest unsettled one.
	const open = against.filter(other => !(other.wins > other.losses && other.p < significance));
	let closest = open[0]!;
	for (const other of open) {
		if (other.p > closest.p) {
			closest = other;
		}
	}

	const pairDecisive = ranking.length === 2 ? decisive : closest.wins + closest.losses;
	const pairAnswered = ranking.length === 2 ? answered : pairDecisive;
	const more = moreAnswersToSettle(pairDecisive, pairAnswered);
	const between = ranking.length === 2 ? '' : ` between ${leader} and ${closest.name}`;
	if (more > 0) {
		const answersWord = more === 1 ? 'answer' : 'answers';
		return {preferred: undefined, moreAnswers: more, verdict: `no difference yet${between}: about ${more} more ${answersWord} would settle a 60/40 preference (${formatP(closest.p)})`};
	}

	return {preferred: undefined, moreAnswers: 0, verdict: `no difference found${between}: ${pairDecisive} decisive answers would most likely have shown a 60/40 preference (${formatP(closest.p)})`};
}

/** Per-sentence (or per-input) counts of one model on gold data. */
export type F1Counts = {tp: number; fp: number; fn: number};

/**
 * Paired bootstrap of the micro-F1 difference B − A: items are the same
 * sentences scored by both models; each sample draws sentences with
 * replacement and keeps the pairing. The interval is the 2.5 and 97.5
 * percentiles; a fixed `seed` (default 1) gives the same interval each run.
 */
export function pairedBootstrap(itemsA: readonly F1Counts[], itemsB: readonly F1Counts[], options: {iterations?: number; seed?: number} = {}): {difference: number; low: number; high: number} {
	if (itemsA.length !== itemsB.length) {
		throw new Error(`pairedBootstrap: ${itemsA.length} items for A but ${itemsB.length} for B; they must be the same sentences.`);
	}

	const sum = (items: readonly F1Counts[]) => {
		const total = {tp: 0, fp: 0, fn: 0};
		for (const item of items) {
			total.tp += item.tp;
			total.fp += item.fp;
			total.fn += item.fn;
		}

		return total;
	};

	const a = sum(itemsA);
	const b = sum(itemsB);
	const difference = microF1(b.tp, b.fp, b.fn) - microF1(a.tp, a.fp, a.fn);
	const n = itemsA.length;
	const iterations = options.iterations ?? 1000;
	if (n === 0 || iterations <= 0) {
		return {difference, low: difference, high: difference};
	}

	const counts = (items: readonly F1Counts[], field: keyof F1Counts) => Float64Array.from(items, item => item[field]);
	const [aTp, aFp, aFn, bTp, bFp, bFn] = [counts(itemsA, 'tp'), counts(itemsA, 'fp'), counts(itemsA, 'fn'), counts(itemsB, 'tp'), counts(itemsB, 'fp'), counts(itemsB, 'fn')];
	const random = seededRandom(options.seed ?? 1);
	const samples = new Float64Array(iterations);
	for (let iteration = 0; iteration < iterations; iteration++) {
		let sa = 0;
		let sfpA = 0;
		let sfnA = 0;
		let sb = 0;
		let sfpB = 0;
		let sfnB = 0;
		for (let draw = 0; draw < n; draw++) {
			const index = Math.floor(random() * n);
			sa += aTp[index]!;
			sfpA += aFp[index]!;
			sfnA += aFn[index]!;
			sb += bTp[index]!;
			sfpB += bFp[index]!;
			sfnB += bFn[index]!;
		}

		samples[iteration] = microF1(sb, sfpB, sfnB) - microF1(sa, sfpA, sfnA);
	}

	samples.sort();
	const percentile = (q: number) => {
		// Linear interpolation between order statistics.
		const position = q * (iterations - 1);
		const below = Math.floor(position);
		const above = Math.min(iterations - 1, below + 1);
		return samples[below]! + ((position - below) * (samples[above]! - samples[below]!));
	};

	return {difference, low: percentile(0.025), high: percentile(0.975)};
}

/** How often one model makes fewer errors than another on the same sentences. */
export type SentencePreference = Interval & {
	/** Sentences where the new model makes fewer errors, more, and as many (with different spans or none). */
	wins: number;
	losses: number;
	ties: number;
	/** The exact sign test's two-sided p-value of wins against losses. */
	p: number;
};

/**
 * A blind A/B judged by the gold: on each sentence the model with fewer errors
 * (spans wrong plus spans missed) is the one a careful reader prefers. Errors
 * are given per sentence, in the same order for both models. `share` is the
 * new model's share of the sentences that have a winner, with its Wilson
 * interval.
 */
export function sentencePreference(baseErrors: readonly number[], newErrors: readonly number[]): SentencePreference {
	const {wins, losses, ties} = sentenceOutcomes(baseErrors, newErrors);
	return {
		...wilson(wins, wins + losses), wins, losses, ties, p: signTest(wins, losses),
	};
}

/** A sentence preference in words: "fewer errors in 21, more in 24, as many in 267; the new model wins 47% of those with a winner (95% CI 33 to 61%, p = 0.77)". */
export function preferenceText(sentences: SentencePreference, name: string): string {
	const counts = `fewer errors in ${sentences.wins}, more in ${sentences.losses}, as many in ${sentences.ties}`;
	const percent = (value: number) => (value * 100).toFixed(0);
	return sentences.wins + sentences.losses > 0
		? `${counts}; ${name} wins ${percent(sentences.share)}% of those with a winner (95% CI ${percent(sentences.low)} to ${percent(sentences.high)}%, ${formatP(sentences.p)})`
		: counts;
}
