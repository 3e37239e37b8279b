import test from 'ava';
import {
	answersToSettle, formatP, moreAnswersToSettle, normalQuantile, pairedBootstrap, preferenceText, sentencePreference, signTest, summarizeAb, wilson, type AbAnswer, type F1Counts,
} from '../../source/recipes/ab-stats.js';

const close = (t: {true: (value: boolean, message?: string) => void}, actual: number, expected: number, tolerance = 1e-4) => {
	t.true(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
};

test('the sign test of 30 wins to 0 is 2 * 0.5^30', t => {
	const p = signTest(30, 0);
	t.true(Math.abs(p - (2 * (0.5 ** 30))) < 1e-20);
	close(t, p / 1.862_645_149_230_957e-9, 1, 1e-9);
	t.is(signTest(0, 30), p);
});

test('the sign test of 9 wins to 1 is 0.02148', t => {
	close(t, signTest(9, 1), 0.021_484_375, 1e-12);
	close(t, signTest(1, 9), 0.021_484_375, 1e-12);
});

test('the sign test of an even split, or of nothing, is 1', t => {
	t.is(signTest(5, 5), 1);
	t.is(signTest(6, 5), 1);
	t.is(signTest(0, 0), 1);
});

test('the sign test works in log space for 10,000 answers', t => {
	// 5,100 to 4,900: z = 2, about 0.0455 by the normal approximation (0.0466 with continuity correction).
	const p = signTest(5100, 4900);
	t.true(p > 0.04 && p < 0.05, String(p));
	const tiny = signTest(6000, 4000);
	t.true(tiny > 0 && tiny < 1e-80, String(tiny));
	t.true(Number.isFinite(signTest(10_000, 0)));
});

test('the Wilson interval of 8 in 10 is 0.4902 to 0.9433', t => {
	const {share, low, high} = wilson(8, 10);
	t.is(share, 0.8);
	close(t, low, 0.4902);
	close(t, high, 0.9433);
});

test('the Wilson interval of 0 in 10 is 0 to 0.2775, and of 10 in 10 0.7225 to 1', t => {
	t.deepEqual({...wilson(0, 10), high: Number(wilson(0, 10).high.toFixed(4))}, {share: 0, low: 0, high: 0.2775});
	const all = wilson(10, 10);
	t.is(all.high, 1);
	close(t, all.low, 0.7225);
});

test('the Wilson interval with no trials is all of 0 to 1', t => {
	t.deepEqual(wilson(0, 0), {share: 0, low: 0, high: 1});
});

test('the normal quantile matches known values', t => {
	close(t, normalQuantile(0.975), 1.959_964, 1e-6);
	close(t, normalQuantile(0.8), 0.841_621, 1e-6);
	close(t, normalQuantile(0.001), -3.090_232, 1e-6);
	t.is(normalQuantile(0.5), 0);
});

test('about 194 decisive answers settle a 60/40 preference at the defaults', t => {
	t.is(answersToSettle(), 194);
	t.is(answersToSettle(0.4), 194);
	t.true(answersToSettle(0.7) < 60);
	t.true(answersToSettle(0.55) > 700);
	t.is(answersToSettle(0.5), Number.POSITIVE_INFINITY);
});

test('more answers to settle counts those already in and scales up for ties', t => {
	t.is(moreAnswersToSettle(0), 194);
	t.is(moreAnswersToSettle(94), 100);
	t.is(moreAnswersToSettle(94, 188), 200);
	t.is(moreAnswersToSettle(300), 0);
});

test('p-values print as a verdict shows them', t => {
	t.is(formatP(0.003_21), 'p = 0.003');
	t.is(formatP(0.021_484_375), 'p = 0.021');
	t.is(formatP(1.86e-9), 'p < 0.001');
	t.is(formatP(0.41), 'p = 0.41');
	t.is(formatP(1), 'p = 1');
	t.is(formatP(0.0499), 'p = 0.0499');
});

function answers(winner: string, loser: string, count: number): AbAnswer[] {
	// Alternate the order the two were shown in, as a blind test does.
	return Array.from({length: count}, (_, index) => ({winner, models: index % 2 === 0 ? [winner, loser] : [loser, winner]}));
}

test('thirty answers for model B name it preferred with p < 0.001', t => {
	const summary = summarizeAb(answers('models/b', 'models/a', 30), ['models/a', 'models/b']);
	t.is(summary.verdict, 'models/b is preferred over models/a (p < 0.001)');
	t.is(summary.preferred, 'models/b');
	t.deepEqual(summary.models.map(model => [model.name, model.wins, model.losses, model.ties]), [['models/a', 0, 30, 0], ['models/b', 30, 0, 0]]);
	t.is(summary.models[0]!.share.low, 0);
	t.is(summary.pairs.length, 1);
	t.is(summary.pairs[0]!.p, signTest(0, 30));
	t.is(summary.ranking[0]!.name, 'models/b');
	t.true(Number.isFinite(summary.ranking[1]!.strength) && summary.ranking[1]!.strength > 0);
});

test('nine answers to one, with ties and skips, call a preference at p = 0.021', t => {
	const list: AbAnswer[] = [
		...answers('a', 'b', 9),
		...answers('b', 'a', 1),
		{winner: 'tie', models: ['a', 'b']},
		{winner: 'skip', models: ['b', 'a']},
	];
	const summary = summarizeAb(list, ['a', 'b']);
	t.is(summary.verdict, 'a is preferred over b (p = 0.021)');
	t.is(summary.answers, 12);
	t.is(summary.decisive, 10);
	t.is(summary.ties, 1);
	t.is(summary.skipped, 1);
	t.deepEqual(summary.models[0]!.share, wilson(9, 10));
	t.is(summary.models[1]!.ties, 1);
});

test('an even split says how many more answers would settle a 60/40 preference', t => {
	const summary = summarizeAb([...answers('a', 'b', 5), ...answers('b', 'a', 5)], ['a', 'b']);
	t.is(summary.preferred, undefined);
	t.is(summary.moreAnswers, 184);
	t.is(summary.verdict, 'no difference yet: about 184 more answers would settle a 60/40 preference (p = 1)');
});

test('no answers yet gives the full count', t => {
	const summary = summarizeAb([], ['a', 'b']);
	t.is(summary.verdict, 'no difference yet: about 194 more answers would settle a 60/40 preference (p = 1)');
	t.is(summary.ranking[0]!.strength, 1);
});

test('enough answers and no preference says so', t => {
	const summary = summarizeAb([...answers('a', 'b', 105), ...answers('b', 'a', 100)], ['a', 'b']);
	t.is(summary.moreAnswers, 0);
	t.regex(summary.verdict, /^no difference found: 205 decisive answers would most likely have shown a 60\/40 preference \(p = 0\.78\)$/);
});

test('Bradley–Terry ranks a model that always wins first, with three models', t => {
	const list = [
		...answers('c', 'a', 12),
		...answers('c', 'b', 12),
		...answers('b', 'a', 8),
		...answers('a', 'b', 4),
	];
	const summary = summarizeAb(list, ['a', 'b', 'c']);
	t.deepEqual(summary.ranking.map(rank => rank.name), ['c', 'b', 'a']);
	t.true(summary.ranking.every(rank => Number.isFinite(rank.strength) && rank.strength > 0));
	t.is(summary.pairs.length, 3);
	t.deepEqual(summary.pairs.map(pair => [pair.a, pair.b, pair.aWins, pair.bWins]), [['a', 'b', 4, 8], ['a', 'c', 0, 12], ['b', 'c', 0, 12]]);
	t.is(summary.preferred, 'c');
	t.is(summary.verdict, 'c is preferred over every other model (p < 0.001)');
	t.deepEqual(summary.ranking[0]!.winRate, wilson(24, 24));
});

test('with three models an unsettled pair is named', t => {
	const list = [...answers('c', 'a', 12), ...answers('c', 'b', 3), ...answers('b', 'c', 2)];
	const summary = summarizeAb(list, ['a', 'b', 'c']);
	t.is(summary.preferred, undefined);
	t.regex(summary.verdict, /^no difference yet between c and b: about \d+ more answers would settle a 60\/40 preference \(p = 1\)$/);
});

test('models only seen in answers are added after those given', t => {
	const summary = summarizeAb(answers('x', 'a', 3), ['a']);
	t.deepEqual(summary.models.map(model => model.name), ['a', 'x']);
});

function items(count: number, make: (index: number) => F1Counts): F1Counts[] {
	return Array.from({length: count}, (_, index) => make(index));
}

test('the paired bootstrap is the same on the same seed and contains the difference', t => {
	const a = items(60, index => ({tp: index % 3 === 0 ? 1 : 2, fp: index % 4 === 0 ? 1 : 0, fn: index % 3 === 0 ? 1 : 0}));
	const b = items(60, index => ({tp: 2, fp: index % 7 === 0 ? 1 : 0, fn: 0}));
	const first = pairedBootstrap(a, b, {seed: 7});
	t.deepEqual(pairedBootstrap(a, b, {seed: 7}), first);
	t.notDeepEqual(pairedBootstrap(a, b, {seed: 8}), first);
	// F1 of A: tp 100, fp 15, fn 20 -> 200 / 235; of B: tp 120, fp 9 -> 240 / 249.
	close(t, first.difference, (240 / 249) - (200 / 235), 1e-12);
	t.true(first.low <= first.difference && first.difference <= first.high, JSON.stringify(first));
	t.true(first.low > 0, 'B is clearly better, so the interval excludes 0');
});

test('the paired bootstrap of a model against itself is 0 to 0', t => {
	const a = items(20, index => ({tp: index % 2, fp: 1 - (index % 2), fn: index % 3 === 0 ? 1 : 0}));
	t.deepEqual(pairedBootstrap(a, a, {iterations: 200, seed: 3}), {difference: 0, low: 0, high: 0});
});

test('the paired bootstrap straddles 0 when the models differ by chance', t => {
	const a = items(40, index => ({tp: 1, fp: index % 2, fn: 0}));
	const b = items(40, index => ({tp: 1, fp: 1 - (index % 2), fn: 0}));
	const result = pairedBootstrap(a, b, {seed: 11});
	t.is(result.difference, 0);
	t.true(result.low < 0 && result.high > 0, JSON.stringify(result));
});

test('the paired bootstrap needs the same sentences for both models', t => {
	t.throws(() => pairedBootstrap([{tp: 1, fp: 0, fn: 0}], []), {message: /same sentences/});
});

test('sentence preference counts where the new model makes fewer errors, more, or as many', t => {
	const preference = sentencePreference([2, 0, 1, 3, 0], [1, 1, 1, 0, 0]);
	t.like(preference, {wins: 2, losses: 1, ties: 2});
	t.is(preference.share, 2 / 3);
	t.is(preference.p, 1);
	t.is(preferenceText(preference, 'B'), 'fewer errors in 2, more in 1, as many in 2; B wins 67% of those with a winner (95% CI 21 to 94%, p = 1)');
	t.is(preferenceText(sentencePreference([1], [1]), 'B'), 'fewer errors in 0, more in 0, as many in 1');
	t.throws(() => sentencePreference([1, 2], [1]), {message: /2 sentences for the base but 1 for the new model/});
});
