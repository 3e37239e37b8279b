import test from 'ava';
import {evaluationNotes, thresholdLine, verdictLine} from '../../source/commands/format.js';
import {spanKey, type SentenceKinds, type ThresholdChoice} from '../../source/model/evaluate.js';
import {errorKinds} from '../../source/model/metrics.js';
import {verdictOf} from '../../source/recipes/train.js';
import {lossesText, markedSpans} from '../../source/recipes/losses.js';
import {mergeAnswers} from '../../source/model/answers.js';

const report = (inputs: number) => ({
	inputs, sentences: inputs, tokens: inputs * 10, spans: inputs, misaligned: 0, notCandidates: 0, otherLabels: 0, missedGold: {},
});
const start = (inputs: number, evaluationKind: 'gold' | 'binary' | 'mixed', baseHeldOut = 0) => ({
	labels: ['JOB_TITLE'], train: report(200), rehearsal: undefined, kinds: {binary: 0, gold: 200}, evaluation: report(inputs), evaluationKind, base: undefined, baseHeldOut,
});

/** Per-input counts of a model that finds `found` of each input's 4 entities and adds `wrong` wrong ones. */
const counts = (inputs: number, found: (index: number) => number, wrong: (index: number) => number) => Array.from({length: inputs}, (_, index) => ({
	tp: found(index), fp: wrong(index), fn: 4 - found(index),
}));

test('the verdict is better when the whole interval is over 0, worse when under, else no difference', t => {
	const base = counts(120, index => 2 + (index % 2), () => 1);
	const better = verdictOf(base, counts(120, index => 3 + (index % 2), () => 1));
	t.is(better.verdict, 'better');
	t.true(better.low > 0);
	t.regex(verdictLine(better), /^Verdict: BETTER than the base model: F1 \+\d+\.\d \(95% CI \+\d+\.\d to \+\d+\.\d, paired bootstrap over 120 gold inputs\)\.$/);

	const worse = verdictOf(base, counts(120, index => 1 + (index % 2), () => 1));
	t.is(worse.verdict, 'worse');
	t.true(worse.high < 0);
	t.regex(verdictLine(worse), /^Verdict: WORSE than the base model: F1 -\d+\.\d \(95% CI -\d+\.\d to -\d+\.\d, .*\)\. Keep the base model\.$/);

	// One input of 120 differs: no interval can exclude 0.
	const same = verdictOf(base, base.map((item, index) => (index === 0 ? {...item, tp: item.tp + 1, fn: item.fn - 1} : item)));
	t.is(same.verdict, 'no difference');
	t.true(same.low <= 0 && same.high >= 0);
	t.regex(verdictLine(same), /^Verdict: no difference from the base model that this evaluation set can show: F1 \+\d\.\d \(95% CI/);
});

test('a model with higher F1 that more sentences find worse is not called better, and the sentence counts are printed', t => {
	// Each input one sentence of 4 entities. The new model finds all 4 in a third of them, and adds one wrong span to the rest.
	const withErrors = (items: ReturnType<typeof counts>) => items.map(item => ({...item, sentenceErrors: [item.fp + item.fn]}));
	const base = withErrors(counts(120, () => 2, () => 0));
	const model = withErrors(counts(120, index => (index % 3 === 0 ? 4 : 2), index => (index % 3 === 0 ? 0 : 1)));
	const verdict = verdictOf(base, model);
	t.is(verdict.verdict, 'better', 'by F1 alone the new model is better');
	t.like(verdict.sentences, {wins: 40, losses: 80, ties: 0});
	t.true(verdict.sentences!.p < 0.001);
	const [first, second] = verdictLine(verdict).split('\n');
	t.regex(first!, /^Verdict: higher F1 than the base model, but NOT better sentence by sentence: F1 \+\d+\.\d .*check with `inkling eval-ab` before replacing it\.$/);
	t.is(second, 'Sentence by sentence (120 gold sentences, as a blind A/B judged by the gold would see them): the new model makes fewer errors in 40, more in 80, as many in 0; it wins 33% of those with a winner (95% CI 26 to 42%, p < 0.001). A blind A/B would likely prefer the base model.');

	// The same F1 gain spread so that most sentences improve: BETTER, with the counts beside.
	const spread = withErrors(counts(120, index => (index % 3 === 0 ? 2 : 3), () => 0));
	const better = verdictOf(base, spread);
	t.like(better.sentences, {wins: 80, losses: 0, ties: 40});
	t.regex(verdictLine(better), /^Verdict: BETTER than the base model: .*\nSentence by sentence .*fewer errors in 80, more in 0, as many in 40; it wins 100% of those with a winner \(95% CI 95 to 100%, p < 0\.001\)\. A blind A\/B would likely prefer the new model\.$/);
});

test('an evaluation set under 50 inputs is warned about, and a yes/no one is said not to be gold', t => {
	t.deepEqual(evaluationNotes(start(200, 'gold')), []);
	const [small] = evaluationNotes(start(12, 'gold'));
	t.is(small, 'the evaluation set has only 12 inputs: under 50, its scores move by several points from one model to the next by chance');
	const binary = evaluationNotes(start(80, 'binary'));
	t.is(binary.length, 1);
	t.regex(binary[0]!, /^the evaluation set holds yes\/no answers, not gold: .*Give a gold set with -e\/--eval-id/);
	t.deepEqual(evaluationNotes(start(80, 'mixed', 60)), ['60 of them are gold inputs the base model held out to evaluate itself: neither model learns from them, so the best epoch, the threshold and the verdict are chosen on real F1']);
});

test('the threshold line says when a higher threshold than the F1-best was taken, and by how much F1 it may differ', t => {
	const evaluation = (tuned?: ThresholdChoice) => ({
		threshold: tuned?.threshold ?? 0.5, tuned, gold: undefined, binary: undefined, tokens: 0, seconds: 0, tokensPerSecond: 0, report: report(1),
	});
	t.is(thresholdLine(evaluation()), undefined);
	t.is(thresholdLine(evaluation({
		threshold: 0.15, best: 0.15, bestF1: 0.6, f1: 0.6, error: 0,
	})), 'Predicts spans of probability 0.15 and over: the threshold with the best F1.');
	t.is(thresholdLine(evaluation({
		threshold: 0.3, best: 0.15, bestF1: 0.604, f1: 0.588, error: 0.021,
	})), 'Predicts spans of probability 0.3 and over: F1 58.8, within one standard error (2.1) of the best, 60.4 at 0.15. The evaluation set cannot tell the two apart, and the higher threshold predicts fewer wrong spans.');
});

test('the threshold line says when the sentences won and lost against the base overruled F1, with both counts', t => {
	const evaluation = (tuned: ThresholdChoice) => ({
		threshold: tuned.threshold, tuned, gold: undefined, binary: undefined, tokens: 0, seconds: 0, tokensPerSecond: 0, report: report(1),
	});
	const overruled = {threshold: 0.25, wins: 36, losses: 53};
	t.is(thresholdLine(evaluation({
		threshold: 0.45, best: 0.2, bestF1: 0.604, f1: 0.571, error: 0.03, sentences: {
			wins: 40, losses: 38, ties: 200, overruled,
		},
	})), 'Predicts spans of probability 0.45 and over: F1 57.1, against 60.4 at 0.2. At 0.25, where F1 alone would have put it, the new model made more errors than the base model in 53 gold sentences and fewer in 36; at 0.45, more in 38 and fewer in 40.');
	t.regex(thresholdLine(evaluation({
		threshold: 0.7, best: 0.2, bestF1: 0.604, f1: 0.4, error: 0.05, sentences: {
			wins: 30, losses: 35, ties: 200, overruled,
		},
	}))!, /at 0\.7, more in 35 and fewer in 30: no threshold wins as many sentences as it loses, and this one loses fewest\.$/);
	// Not overruled: the counts are kept but the line is the F1 rule's.
	t.is(thresholdLine(evaluation({
		threshold: 0.15, best: 0.15, bestF1: 0.6, f1: 0.6, error: 0, sentences: {wins: 10, losses: 5, ties: 100},
	})), 'Predicts spans of probability 0.15 and over: the threshold with the best F1.');
});

test('errors by kind, on token spans whose ends are inclusive: wrong, at other boundaries, missed', t => {
	const gold = [{start: 0, end: 0, label: 'JOB'}, {start: 3, end: 4, label: 'JOB'}, {start: 7, end: 8, label: 'JOB'}];
	const predicted = [
		// The one-token gold span at 0, with one more token: it overlaps, so a boundary error, not a wrong span.
		{start: 0, end: 1, label: 'JOB'},
		// Exactly gold: no error.
		{start: 3, end: 4, label: 'JOB'},
		// Touches nothing gold: wrong.
		{start: 5, end: 5, label: 'JOB'},
		// Ends where the gold at 7 begins (inclusive ends): a boundary error.
		{start: 6, end: 7, label: 'JOB'},
	];
	const kinds = errorKinds(gold, predicted);
	t.deepEqual(kinds.wrong, [{start: 5, end: 5, label: 'JOB'}]);
	t.is(kinds.boundary, 2);
	t.is(kinds.missed, 0);
	t.deepEqual(errorKinds(gold, []), {wrong: [], boundary: 0, missed: 3});
	// Another label on the gold span is a boundary error too.
	t.is(errorKinds(gold, [{start: 3, end: 4, label: 'ORG'}]).boundary, 1);
});

test('where the new model loses sentences, its wrong spans are counted, and those the gold marks elsewhere are named, escaped', t => {
	const marked = markedSpans(mergeAnswers([
		{text: 'Ana is a Civil  Engineer.', spans: [{start: 9, end: 24, label: 'JOB'}], answer: 'accept'},
		// A rejected answer marks nothing.
		{
			text: 'We used Project Management tools.', spans: [{start: 8, end: 26, label: 'JOB'}], answer: 'reject', _view_id: 'ner',
		},
	]));
	t.deepEqual([...marked], [spanKey('JOB', 'civilengineer')]);
	const kinds = (wrong: string[], boundary = 0, missed = 0): SentenceKinds => ({wrong: wrong.map(text => ({key: spanKey('JOB', text.replaceAll(' ', '')), text})), boundary, missed});
	// Four sentences: the new model loses the first two, wins the third, ties the fourth.
	const base = [{
		tp: 1, fp: 0, fn: 0, sentenceErrors: [0, 1, 2, 1], sentenceKinds: [],
	}];
	const model = [{
		tp: 1, fp: 2, fn: 1, sentenceErrors: [2, 3, 0, 1], sentenceKinds: [
			kinds(['Civil Engineer', 'Project Management']),
			kinds(['civil engineer', 'Team \u001B[31mLead'], 1),
			kinds([]),
			kinds(['Civil Engineer']),
		],
	}];
	const {losses} = verdictOf(base, model, 1, marked);
	t.deepEqual(losses, {
		sentences: 2, wrong: 4, markedElsewhere: 2, examples: ['Civil Engineer'], boundary: 1, missed: 0,
	});
	t.is(lossesText(losses!), 'Where the new model makes more errors than the base (2 gold sentences), it predicts 4 spans the gold does not have, 2 of them words the gold or the answers mark with the same label elsewhere ("Civil Engineer"): where they are right, it is the gold that misses them; 1 span overlaps a gold span with other ends or another label; it misses 0 gold spans.');
	const escaped = lossesText({...losses!, examples: ['Team \u001B[31mLead']})!;
	t.false(escaped.includes('\u001B'));
	t.true(escaped.includes('Team ␛[31mLead'));
	t.is(lossesText({...losses!, sentences: 0}), undefined);
	t.is(lossesText({...losses!, markedElsewhere: 0, examples: []}), 'Where the new model makes more errors than the base (2 gold sentences), it predicts 4 spans the gold does not have; 1 span overlaps a gold span with other ends or another label; it misses 0 gold spans.');
});
