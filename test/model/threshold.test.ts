import test from 'ava';
import {chooseThreshold} from '../../source/model/evaluate.js';

type Counts = {tp: number; fp: number; fn: number};
/** `count` inputs with the same counts, but those changed by index. */
const inputs = (count: number, counts: Counts, changes: Record<number, Counts> = {}) => Array.from({length: count}, (_, index) => changes[index] ?? counts);
const usual = {tp: 2, fp: 1, fn: 1};
/** At a higher threshold one input of three changes: one loses its wrong span, two a right one. F1 falls from 0.667 a little, and the changes pull both ways. */
const mixed = (count: number) => inputs(count, usual, Object.fromEntries(Array.from({length: Math.floor(count / 3)}, (_, index) => [index * 3, index % 3 === 0 ? {tp: 2, fp: 0, fn: 1} : {tp: 1, fp: 0, fn: 2}])));
const none = (count: number) => inputs(count, {tp: 0, fp: 0, fn: 3});

test('on a few inputs, a higher threshold whose F1 is within one standard error of the best F1 is chosen', t => {
	const choice = chooseThreshold([
		{threshold: 0.1, inputs: inputs(10, usual)},
		{threshold: 0.2, inputs: mixed(10)},
		{threshold: 0.3, inputs: none(10)},
	]);
	t.like(choice, {threshold: 0.2, best: 0.1, bestF1: 2 / 3});
	t.true(choice.f1 < choice.bestF1 && choice.bestF1 - choice.f1 <= choice.error, JSON.stringify(choice));
});

test('on many inputs the same difference is beyond chance, and the F1-best threshold stays', t => {
	t.like(chooseThreshold([
		{threshold: 0.1, inputs: inputs(999, usual)},
		{threshold: 0.2, inputs: mixed(999)},
	]), {threshold: 0.1, best: 0.1, error: 0});
});

test('a difference on every input is beyond chance even on a few inputs', t => {
	t.is(chooseThreshold([
		{threshold: 0.1, inputs: inputs(10, usual)},
		{threshold: 0.2, inputs: inputs(10, {tp: 1, fp: 1, fn: 2})},
	]).threshold, 0.1);
});

test('the walk up stops at the first threshold that is worse beyond chance, even if a higher one is not', t => {
	t.is(chooseThreshold([
		{threshold: 0.1, inputs: inputs(10, usual)},
		{threshold: 0.2, inputs: none(10)},
		{threshold: 0.3, inputs: mixed(10)},
	]).threshold, 0.1);
});

test('with one input there is no error to allow, so the best F1 is chosen; misses no threshold can find count in every F1', t => {
	const candidates = [
		{threshold: 0.1, inputs: inputs(1, {tp: 5, fp: 4, fn: 1})},
		{threshold: 0.2, inputs: inputs(1, {tp: 4, fp: 1, fn: 2})},
		{threshold: 0.3, inputs: inputs(1, {tp: 2, fp: 0, fn: 4})},
	];
	t.deepEqual(chooseThreshold(candidates), {
		threshold: 0.2, best: 0.2, bestF1: 8 / 11, f1: 8 / 11, error: 0,
	});
	// 0.2: 8 / (8 + 1 + 2 + 10) = 0.38; 0.1: 10 / (10 + 4 + 1 + 10) = 0.40. With 10 more misses, 0.1 is best.
	t.is(chooseThreshold(candidates, {missed: 10}).threshold, 0.1);
});

/** Per-sentence errors: `count` sentences with `errors` each, but those changed by index. */
const errorsOf = (count: number, errors: number, changes: Record<number, number> = {}) => Array.from({length: count}, (_, index) => changes[index] ?? errors);
/** The first `wins` sentences one error fewer than 2, the next `losses` one more, the rest 2. */
const against = (count: number, wins: number, losses: number) => errorsOf(count, 2, Object.fromEntries([
	...Array.from({length: wins}, (_, index): [number, number] => [index, 1]),
	...Array.from({length: losses}, (_, index): [number, number] => [wins + index, 3]),
]));
const base = errorsOf(100, 2);

test('given the base model\'s errors, a threshold that loses more gold sentences than it wins is overruled by the best F1 that does not', t => {
	const choice = chooseThreshold([
		{threshold: 0.1, inputs: inputs(999, usual), sentenceErrors: against(100, 20, 30)},
		{threshold: 0.2, inputs: mixed(999), sentenceErrors: against(100, 25, 25)},
		{threshold: 0.3, inputs: none(999), sentenceErrors: against(100, 30, 10)},
	], {baseErrors: base});
	// 0.3 wins most sentences, but 0.2 has the better F1 of the two that win at least as many as they lose.
	t.like(choice, {
		threshold: 0.2, best: 0.1, bestF1: 2 / 3, sentences: {
			wins: 25, losses: 25, ties: 50, overruled: {threshold: 0.1, wins: 20, losses: 30},
		},
	});
	t.true(choice.f1 < choice.bestF1 && choice.error > 0);
});

test('with none that wins as many sentences as it loses, the threshold losing fewest net is taken', t => {
	t.like(chooseThreshold([
		{threshold: 0.1, inputs: inputs(999, usual), sentenceErrors: against(100, 20, 40)},
		{threshold: 0.2, inputs: mixed(999), sentenceErrors: against(100, 20, 30)},
		{threshold: 0.3, inputs: none(999), sentenceErrors: against(100, 5, 40)},
	], {baseErrors: base}), {threshold: 0.2, sentences: {wins: 20, losses: 30, overruled: {threshold: 0.1}}});
});

test('the F1 rule\'s threshold stays when it wins at least as many sentences as it loses, or when too few differ to tell', t => {
	const candidates = (first: number[]) => [
		{threshold: 0.1, inputs: inputs(999, usual), sentenceErrors: first},
		{threshold: 0.2, inputs: mixed(999), sentenceErrors: against(100, 30, 0)},
	];
	t.deepEqual(chooseThreshold(candidates(against(100, 30, 30)), {baseErrors: base}).sentences, {wins: 30, losses: 30, ties: 40});
	// 8 won and 11 lost: 19 differ, fewer than decisiveSentences.
	t.like(chooseThreshold(candidates(against(100, 8, 11)), {baseErrors: base}), {threshold: 0.1, sentences: {wins: 8, losses: 11}});
	t.like(chooseThreshold(candidates(against(100, 8, 12)), {baseErrors: base}), {threshold: 0.2, sentences: {overruled: {threshold: 0.1}}});
	// Without the base's errors, sentences play no part.
	t.is(chooseThreshold(candidates(against(100, 0, 90))).sentences, undefined);
});
