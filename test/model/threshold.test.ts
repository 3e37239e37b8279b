import test from 'ava';
import {chooseThreshold} from '../../source/model/evaluate.js';

/** `count` inputs, each with the given counts: every input alike, so only their number sets the standard error. */
const alike = (count: number, counts: {tp: number; fp: number; fn: number}) => Array.from({length: count}, () => counts);

/** Inputs whose counts vary, so a bootstrap over them has a spread: half with `a`, half with `b`. */
const mixed = (count: number, a: {tp: number; fp: number; fn: number}, b: {tp: number; fp: number; fn: number}) => Array.from({length: count}, (_, index) => (index % 2 === 0 ? a : b));

test('on a few inputs, the highest threshold within one standard error of the best F1 is chosen, walking up from the best', t => {
	// 10 inputs: F1 0.5 at 0.1, 0.4 at 0.2 (within the error of 10 inputs this unlike), 0 at 0.3.
	const candidates = [
		{threshold: 0.1, inputs: mixed(10, {tp: 3, fp: 1, fn: 1}, {tp: 0, fp: 2, fn: 2})},
		{threshold: 0.2, inputs: mixed(10, {tp: 2, fp: 0, fn: 2}, {tp: 0, fp: 2, fn: 2})},
		{threshold: 0.3, inputs: mixed(10, {tp: 0, fp: 0, fn: 4}, {tp: 0, fp: 2, fn: 2})},
	];
	const choice = chooseThreshold(candidates);
	t.like(choice, {threshold: 0.2, best: 0.1, bestF1: 0.5});
	t.true(choice.error >= 0.1, `the standard error of 10 inputs this unlike is over 0.1, not ${choice.error}`);
});

test('the best F1 stays when the next threshold is outside the error, even if a higher one is inside it', t => {
	// F1 0.5 at 0.1, 0 at 0.2, 0.4 at 0.3.
	const candidates = [
		{threshold: 0.1, inputs: mixed(10, {tp: 3, fp: 1, fn: 1}, {tp: 0, fp: 2, fn: 2})},
		{threshold: 0.2, inputs: mixed(10, {tp: 0, fp: 0, fn: 4}, {tp: 0, fp: 2, fn: 2})},
		{threshold: 0.3, inputs: mixed(10, {tp: 2, fp: 0, fn: 2}, {tp: 0, fp: 2, fn: 2})},
	];
	t.is(chooseThreshold(candidates).threshold, 0.1);
});

test('on many inputs the error is small, and a slightly lower F1 at a higher threshold is not taken', t => {
	const few = (count: number) => [
		{threshold: 0.1, inputs: mixed(count, {tp: 3, fp: 1, fn: 1}, {tp: 1, fp: 1, fn: 1})},
		// One input in ten loses a span: F1 0.667 to 0.655.
		{threshold: 0.2, inputs: Array.from({length: count}, (_, index) => (index % 10 === 1 ? {tp: 0, fp: 1, fn: 2} : (index % 2 === 0 ? {tp: 3, fp: 1, fn: 1} : {tp: 1, fp: 1, fn: 1})))},
	];
	t.is(chooseThreshold(few(2000)).threshold, 0.1);
	t.is(chooseThreshold(few(20)).threshold, 0.2, 'on 20 inputs the same difference is within the error');
});

test('with one input there is no error to allow, so the best F1 is chosen; misses no threshold can find count in every F1', t => {
	const candidates = [
		{threshold: 0.1, inputs: alike(1, {tp: 5, fp: 4, fn: 1})},
		{threshold: 0.2, inputs: alike(1, {tp: 4, fp: 1, fn: 2})},
		{threshold: 0.3, inputs: alike(1, {tp: 2, fp: 0, fn: 4})},
	];
	t.deepEqual(chooseThreshold(candidates), {
		threshold: 0.2, best: 0.2, bestF1: 8 / 11, error: 0,
	});
	// 0.2: 8 / (8 + 1 + 2 + 10) = 0.38; 0.1: 10 / (10 + 4 + 1 + 10) = 0.40. With 10 more misses, 0.1 is best.
	t.is(chooseThreshold(candidates, {missed: 10}).threshold, 0.1);
});
