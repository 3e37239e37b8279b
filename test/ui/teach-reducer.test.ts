import test from 'ava';
import {reserveLimit, type Question} from '../../source/recipes/teach/types.js';
import {
	editable, initialTeachState, sameOnScreen, teachReducer, type TeachState,
} from '../../source/ui/teach-reducer.js';

function question(id: number, score = 0.5): Question {
	const text = `Nurse number ${id} wanted`;
	return {
		id, inputHash: id, text, tokens: [], span: {
			start: 0, end: 5, label: 'JOB_TITLE', token_start: 0, token_end: 0, text: 'Nurse',
		}, label: 'JOB_TITLE', score, priority: 1, meta: {},
	};
}

function withQuestions(...ids: number[]): TeachState {
	return teachReducer(initialTeachState, {type: 'questions', questions: ids.map(id => question(id)), replace: false});
}

test('the first questions to arrive put one on screen and queue the rest', t => {
	const state = withQuestions(1, 2, 3);
	t.is(state.current?.id, 1);
	t.deepEqual(state.queue.map(item => item.id), [2, 3]);
});

test('an answer moves to the next question and is counted', t => {
	const state = teachReducer(withQuestions(1, 2), {type: 'answer', answer: 'reject'});
	t.is(state.current?.id, 2);
	t.is(state.counts.reject, 1);
	t.deepEqual(state.history.map(item => [item.question.id, item.answer]), [[1, 'reject']]);
});

test('undo brings the last answered question back and puts the current one first in the queue', t => {
	let state = teachReducer(withQuestions(1, 2, 3), {type: 'answer', answer: 'accept'});
	state = teachReducer(state, {type: 'undo'});
	t.is(state.current?.id, 1);
	t.deepEqual(state.queue.map(item => item.id), [2, 3]);
	t.is(state.counts.accept, 0);
	t.false(state.answered.has(1));
});

test('only the last 10 answers can be undone', t => {
	let state = withQuestions(...Array.from({length: 15}, (_, index) => index + 1));
	for (let index = 0; index < 12; index++) {
		state = teachReducer(state, {type: 'answer', answer: 'accept'});
	}

	t.is(state.history.length, editable);
	for (let index = 0; index < editable; index++) {
		state = teachReducer(state, {type: 'undo'});
	}

	t.is(state.current?.id, 3);
	state = teachReducer(state, {type: 'undo'});
	t.is(state.current?.id, 3);
	t.regex(state.notice ?? '', /Nothing to undo/);
});

test('a rescored queue replaces the waiting questions but never brings back an answered one', t => {
	let state = teachReducer(withQuestions(1, 2, 3), {type: 'answer', answer: 'accept'});
	state = teachReducer(state, {type: 'questions', questions: [question(1, 0.9), question(2, 0.7), question(3, 0.4)], replace: true});
	t.is(state.current?.id, 2);
	t.is(state.current?.score, 0.7);
	t.deepEqual(state.queue.map(item => item.id), [3]);
});

test('questions that arrive while one is on screen are queued once', t => {
	let state = withQuestions(1, 2);
	state = teachReducer(state, {type: 'questions', questions: [question(2), question(4)], replace: false});
	t.is(state.current?.id, 1);
	t.deepEqual(state.queue.map(item => item.id), [2, 4]);
});

test('questions queued behind the one shown draw nothing new; an answer or a new score on screen does', t => {
	const state = withQuestions(1, 2);
	const queued = teachReducer(state, {type: 'questions', questions: [question(3)], replace: false});
	t.deepEqual(queued.queue.map(item => item.id), [2, 3]);
	t.true(sameOnScreen(state, queued));
	t.false(sameOnScreen(state, teachReducer(state, {type: 'answer', answer: 'accept'})));
	t.false(sameOnScreen(state, teachReducer(state, {type: 'questions', questions: [question(1, 0.9), question(2)], replace: true})));
});

test('reserve questions are asked only when the queue is empty, and a rescored queue keeps them', t => {
	let state = teachReducer(initialTeachState, {
		type: 'questions', questions: [question(1)], replace: false, reserve: [question(10, 0.02), question(11, 0.97)],
	});
	t.is(state.current?.id, 1);
	t.deepEqual(state.reserve.map(item => item.id), [10, 11]);
	state = teachReducer(state, {
		type: 'questions', questions: [question(2)], replace: false, reserve: [question(12, 0.03)],
	});
	state = teachReducer(state, {type: 'answer', answer: 'reject'});
	t.is(state.current?.id, 2, 'the queue comes before the reserve, whenever the reserve came');
	state = teachReducer(state, {type: 'questions', questions: [question(2, 0.6)], replace: true});
	t.deepEqual(state.reserve.map(item => item.id), [10, 11, 12]);
	state = teachReducer(state, {type: 'answer', answer: 'reject'});
	t.is(state.current?.id, 10, 'with the queue empty, the reserve\'s first is asked');
	t.deepEqual(state.reserve.map(item => item.id), [11, 12]);
	state = teachReducer(state, {type: 'answer', answer: 'accept'});
	state = teachReducer(state, {type: 'answer', answer: 'accept'});
	state = teachReducer(state, {type: 'answer', answer: 'accept'});
	t.is(state.current, undefined);
	t.deepEqual(state.counts, {accept: 3, reject: 2, ignore: 0});
	// A question that comes into the queue while the screen waits is asked at once; answered ones never come back.
	state = teachReducer(state, {
		type: 'questions', questions: [question(3)], replace: false, reserve: [question(10), question(13)],
	});
	t.is(state.current?.id, 3);
	t.deepEqual(state.reserve.map(item => item.id), [13]);
});

test('the screen keeps the latest reserve questions, at most reserveLimit', t => {
	const before = withQuestions(1);
	let state = before;
	for (let id = 100; id < 100 + reserveLimit + 5; id++) {
		state = teachReducer(state, {
			type: 'questions', questions: [], replace: false, reserve: [question(id, 0.01)],
		});
	}

	t.is(state.reserve.length, reserveLimit);
	t.is(state.reserve[0]!.id, 105);
	t.is(state.reserve.at(-1)!.id, 100 + reserveLimit + 4);
	t.true(sameOnScreen(before, state), 'the reserve is not on screen');
});
