import test from 'ava';
import {
	countKinds, isBinary, markKind, mergeAnswers,
} from '../../source/model/answers.js';
import type {Task} from '../../source/task/task.js';

const text = 'Staff Nurse wanted at Leeds General';
const nurse = {start: 0, end: 11, label: 'JOB_TITLE'};
const leeds = {start: 22, end: 27, label: 'JOB_TITLE'};

test('a task without a view is a yes/no answer when it has one span with the model\'s score or rank, as Prodigy\'s ner.teach exports', t => {
	t.true(isBinary({text, spans: [{...nurse, score: 0.4, rank: 3}], answer: 'reject'}));
	t.true(isBinary({text, spans: [{...nurse, rank: 0}], answer: 'accept'}));
	// A complete annotation: no score, or several spans, or a manual view.
	t.false(isBinary({text, spans: [nurse], answer: 'accept'}));
	t.false(isBinary({text, spans: [{...nurse, score: 0.9}, {...leeds, score: 0.2}], answer: 'accept'}));
	t.false(isBinary({
		text, spans: [{...nurse, score: 0.4}], answer: 'accept', _view_id: 'ner_manual',
	}));
	t.true(isBinary({
		text, spans: [nurse], answer: 'accept', _view_id: 'ner',
	}));
	// --binary and --gold win over the shape.
	t.deepEqual(markKind([{text, spans: [nurse]}], 'binary').map(task => isBinary(task)), [true]);
	t.deepEqual(markKind([{text, spans: [{...nurse, score: 0.4}]}], 'gold').map(task => isBinary(task)), [false]);
	t.deepEqual(countKinds([{text, spans: [{...nurse, score: 0.4}]}, {text, spans: []}, {text, _view_id: 'eval-ab'}]), {binary: 1, gold: 1});
});

test('a span\'s own answer wins over its task\'s', t => {
	const task: Task = {
		text, spans: [{...nurse, answer: 'accept'}, {...leeds, answer: 'reject'}, {
			start: 12, end: 18, label: 'JOB_TITLE', answer: 'ignore',
		}], answer: 'reject', _view_id: 'ner',
	};
	const [merged] = mergeAnswers([task]);
	t.deepEqual(merged!.accepted.map(span => span.start), [0]);
	t.deepEqual(merged!.rejected.map(span => span.start), [22]);
	t.is(merged!.gold, undefined);
});
