import test from 'ava';
import type {AbQuestion, AgreedSentence} from '../../source/recipes/eval-ab/types.js';
import {abReducer, initialAbState, type AbState} from '../../source/ui/ab-reducer.js';
import {editable} from '../../source/ui/teach-reducer.js';

function agreed(id: number): AgreedSentence {
	return {
		id, inputHash: id, text: `Same ${id}`, models: ['a', 'b'], spans: [], meta: {},
	};
}

/** A question whose option 1 shows model `first`. */
function question(id: number, first: 'a' | 'b' = 'a', agreedBefore = 0): AbQuestion {
	return {
		id,
		inputHash: id,
		text: `Anna ${id} works here`,
		meta: {},
		models: ['a', 'b'],
		mapping: first === 'a' ? {1: 'a', 2: 'b'} : {1: 'b', 2: 'a'},
		outputs: {a: [{start: 0, end: 4, label: 'PER'}], b: []},
		agreed: Array.from({length: agreedBefore}, (_, index) => agreed((id * 100) + index)),
	};
}

function withQuestions(...questions: AbQuestion[]): AbState {
	return abReducer(initialAbState, {type: 'questions', questions});
}

test('the first questions to arrive put one on screen and queue the rest', t => {
	const state = withQuestions(question(1), question(2), question(3));
	t.is(state.current?.id, 1);
	t.deepEqual(state.queue.map(item => item.id), [2, 3]);
});

test('an answer records the winning model, not the side, and moves on', t => {
	let state = withQuestions(question(1, 'b'), question(2, 'a'));
	state = abReducer(state, {type: 'answer', choice: '1'});
	t.is(state.current?.id, 2);
	t.deepEqual(state.answers, [{winner: 'b', models: ['a', 'b']}]);
	state = abReducer(state, {type: 'answer', choice: '1'});
	t.deepEqual(state.answers.map(answer => answer.winner), ['b', 'a']);
	t.deepEqual(state.history.map(decision => decision.choice), ['1', '1']);
});

test('a tie and a skip are recorded as such', t => {
	let state = withQuestions(question(1), question(2), question(3));
	state = abReducer(state, {type: 'answer', choice: 'tie'});
	state = abReducer(state, {type: 'answer', choice: 'skip'});
	t.deepEqual(state.answers.map(answer => answer.winner), ['tie', 'skip']);
	t.is(state.current?.id, 3);
});

test('undo brings the last answered question back, takes its answer away, and puts the current one first', t => {
	let state = withQuestions(question(1), question(2), question(3));
	state = abReducer(state, {type: 'answer', choice: '2'});
	state = abReducer(state, {type: 'undo'});
	t.is(state.current?.id, 1);
	t.deepEqual(state.queue.map(item => item.id), [2, 3]);
	t.deepEqual(state.answers, []);
	t.false(state.answered.has(1));
});

test('undo with nothing to undo says so', t => {
	const state = abReducer(withQuestions(question(1)), {type: 'undo'});
	t.regex(state.notice!, /Nothing to undo/);
	t.is(state.current?.id, 1);
});

test(`only the last ${editable} answers can be undone, and the rest stay counted`, t => {
	let state = withQuestions(...Array.from({length: 15}, (_, index) => question(index + 1)));
	for (let index = 0; index < 12; index++) {
		state = abReducer(state, {type: 'answer', choice: '1'});
	}

	for (let index = 0; index < editable + 2; index++) {
		state = abReducer(state, {type: 'undo'});
	}

	t.is(state.answers.length, 12 - editable);
	t.is(state.current?.id, 12 - editable + 1);
});

test('identical sentences are counted when the question they came with is answered, and uncounted on undo', t => {
	let state = withQuestions(question(1, 'a', 3), question(2, 'a', 2));
	t.is(state.identical, 0);
	state = abReducer(state, {type: 'answer', choice: '1'});
	t.is(state.identical, 3);
	state = abReducer(state, {type: 'answer', choice: 'skip'});
	t.is(state.identical, 5);
	state = abReducer(state, {type: 'undo'});
	t.is(state.identical, 3);
	state = abReducer(state, {type: 'exhausted', agreed: 4});
	t.is(state.identical, 7);
	t.true(state.exhausted);
});

test('new questions join the queue behind the one on screen; ones already queued or answered are not added again', t => {
	let state = withQuestions(question(1), question(2));
	state = abReducer(state, {type: 'answer', choice: '1'});
	state = abReducer(state, {type: 'questions', questions: [question(1), question(2), question(3), question(4)]});
	t.is(state.current?.id, 2);
	t.deepEqual(state.queue.map(item => item.id), [3, 4]);
});

test('questions arriving on an empty screen put the first on screen', t => {
	let state = withQuestions(question(1));
	state = abReducer(state, {type: 'answer', choice: '2'});
	t.is(state.current, undefined);
	state = abReducer(state, {type: 'questions', questions: [question(5)]});
	t.is(state.current?.id, 5);
});
