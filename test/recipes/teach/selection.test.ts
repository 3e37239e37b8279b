import test from 'ava';
import {
	chooseQuestions, defaultSelection, priority, type Proposal,
} from '../../../source/recipes/teach/selection.js';

test('uncertain priority is highest at the centre, and bias moves the centre', t => {
	t.is(priority(0.5, 'uncertain'), 1);
	t.is(priority(0, 'uncertain'), 0);
	t.is(priority(1, 'uncertain'), 0);
	t.true(priority(0.4, 'uncertain') > priority(0.2, 'uncertain'));
	t.true(Math.abs(priority(0.7, 'uncertain', 0.2) - 1) < 1e-9);
	// 1 - |logit(0.3) - logit(0.7)| / 4
	t.true(Math.abs(priority(0.3, 'uncertain', 0.2) - (1 - (2 * Math.log(0.7 / 0.3) / 4))) < 1e-9);
	t.is(priority(0.8, 'high'), 0.8);
	t.true(Math.abs(priority(0.8, 'low') - 0.2) < 1e-9);
});

test('uncertain centres on the model\'s decision threshold, where a span flips between predicted and not', t => {
	// A model that predicts from 0.1: a span at 0.1 is the least sure, one at 0.5 is fairly sure it is an entity.
	t.true(Math.abs(priority(0.1, 'uncertain', 0, 0.1) - 1) < 1e-9);
	t.true(priority(0.12, 'uncertain', 0, 0.1) > priority(0.5, 'uncertain', 0, 0.1));
	t.true(priority(0.08, 'uncertain', 0, 0.1) > priority(0.5, 'uncertain', 0, 0.1));
	// Far under the threshold is as sure as far over it (in logits): neither is worth asking.
	t.true(priority(0.0001, 'uncertain', 0, 0.1) < 0.1);
	t.true(priority(0.97, 'uncertain', 0, 0.1) < 0.1);
});

const proposal = (sentence: number, start: number, end: number, score: number, pattern?: string): Proposal => ({
	sentence, start, end, label: 'JOB_TITLE', score, ...(pattern ? {pattern} : {}),
});

test('a window\'s questions: patterns first, then the most uncertain, at most 2 a sentence, none overlapping, in text order', t => {
	const proposals = [
		proposal(0, 0, 1, 0.5),
		proposal(0, 1, 2, 0.49), // Overlaps the first
		proposal(0, 4, 4, 0.45),
		proposal(0, 6, 6, 0.48), // A third in sentence 0
		proposal(1, 2, 3, 0.02, 'nurse'),
		proposal(2, 0, 0, 0.9),
	];
	const chosen = chooseQuestions(proposals, {...defaultSelection, perWindow: 4});
	t.deepEqual(chosen.map(item => [item.sentence, item.start, item.end]), [[0, 0, 1], [0, 6, 6], [1, 2, 3], [2, 0, 0]]);
	t.deepEqual(chooseQuestions(proposals, {...defaultSelection, perWindow: 2}).map(item => [item.sentence, item.start]), [[0, 0], [1, 2]]);
	t.deepEqual(chooseQuestions(proposals, {...defaultSelection, perSentence: 1, perWindow: 10}).map(item => [item.sentence, item.start]), [[0, 0], [1, 2], [2, 0]]);
});
