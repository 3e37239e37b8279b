import test from 'ava';
import {chooseThreshold} from '../../source/model/evaluate.js';

test('the threshold is the highest whose F1 is within a point of the best: of equally good ones, the one with the fewest wrong spans', t => {
	const flat = [{threshold: 0.1, f1: 0.52}, {threshold: 0.2, f1: 0.555}, {threshold: 0.3, f1: 0.56}, {threshold: 0.4, f1: 0.551}, {threshold: 0.5, f1: 0.54}];
	t.is(chooseThreshold(flat), 0.4);
	// A clear best is kept.
	const peaked = [{threshold: 0.1, f1: 0.4}, {threshold: 0.2, f1: 0.6}, {threshold: 0.3, f1: 0.45}];
	t.is(chooseThreshold(peaked), 0.2);
	// Without tolerance, the best alone.
	t.is(chooseThreshold(flat, 0), 0.3);
});
