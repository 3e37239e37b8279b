import test from 'ava';
import {mergeAnswers} from '../../source/model/data.js';

test('merging answers keeps gold and yes/no answers, and leaves out ignores and eval-ab judgements', t => {
	const merged = mergeAnswers([
		{text: 'Anna works', spans: [{start: 0, end: 4, label: 'PER'}], answer: 'accept'},
		{
			text: 'Anna works', spans: [{start: 5, end: 10, label: 'PER'}], answer: 'reject', _view_id: 'ner',
		},
		{text: 'Bo works', spans: [], answer: 'ignore'},
		{
			text: 'Cy works', spans: [], answer: 'accept', _view_id: 'eval-ab',
		},
	]);
	t.is(merged.length, 1);
	t.deepEqual(merged[0]!.gold, [{start: 0, end: 4, label: 'PER'}]);
	t.deepEqual(merged[0]!.rejected, [{start: 5, end: 10, label: 'PER'}]);
});
