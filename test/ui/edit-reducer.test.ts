import test from 'ava';
import {taskTokens} from '../../source/recipes/manual/session.js';
import type {EditItem, EditSpan, Version} from '../../source/recipes/manual/types.js';
import {
	charRange, describeSpan, editReducer, initialEditState, selection, startEditing, type EditAction, type EditState,
} from '../../source/ui/edit-reducer.js';

const labels = ['PER', 'JOB'];
// Tokens: 0 Anna, 1 Smith, 2 ",", 3 a, 4 staff, 5 nurse, 6 ",", 7 works, 8 at, 9 St., 10 Mary, 11 's, 12 "."
const sentence = 'Anna Smith, a staff nurse, works at St. Mary\'s.';

function item(text: string, inputHash: number, extra: Partial<EditItem> = {}): EditItem {
	return {
		text, tokens: taskTokens(text), spans: [], inputHash, ...extra,
	};
}

function run(state: EditState, ...actions: EditAction[]): EditState {
	let result = state;
	for (const action of actions) {
		result = editReducer(result, action);
	}

	return result;
}

function editing(items: EditItem[], chars = false): EditState {
	return editReducer(initialEditState(labels, chars), {type: 'items', items});
}

const right = (extend = false): EditAction => ({type: 'move', to: 'right', extend});
const left = (extend = false): EditAction => ({type: 'move', to: 'left', extend});
const move = (to: Extract<EditAction, {type: 'move'}>['to'], extend = false): EditAction => ({type: 'move', to, extend});
const labelWith = (index: number): EditAction => ({type: 'label', index});

/** Move the cursor `count` positions to the right. */
function rights(count: number, extend = false): EditAction[] {
	return Array.from({length: count}, () => right(extend));
}

const annaSmith: EditSpan = {
	start: 0, end: 10, token_start: 0, token_end: 1, label: 'PER',
};

test('the first items put one on screen with the cursor on its first token, and queue the rest', t => {
	const state = editing([item(sentence, 1), item('Bob is a nurse.', 2)]);
	t.is(state.current?.item.inputHash, 1);
	t.is(state.current?.cursor, 0);
	t.is(state.current?.anchor, undefined);
	t.false(state.current?.sticky);
	t.deepEqual(state.queue.map(editing => editing.item.inputHash), [2]);
});

test('items that arrive while one is on screen join the queue', t => {
	const state = run(editing([item(sentence, 1)]), {type: 'items', items: [item('Bob is a nurse.', 2)]});
	t.is(state.current?.item.inputHash, 1);
	t.deepEqual(state.queue.map(editing => editing.item.inputHash), [2]);
});

test('startEditing starts from the item\'s own spans', t => {
	const start = startEditing(item(sentence, 1, {spans: [annaSmith]}));
	t.deepEqual(start.spans, [annaSmith]);
	t.is(start.cursor, 0);
});

test('a label with no selection labels the token under the cursor', t => {
	const state = run(editing([item(sentence, 1)]), right(), labelWith(0));
	t.deepEqual(state.current?.spans, [{
		start: 5, end: 10, token_start: 1, token_end: 1, label: 'PER',
	}]);
	t.is(state.notice, undefined);
});

test('a shift-extended selection labels every token in it', t => {
	const state = run(editing([item(sentence, 1)]), ...rights(3), ...rights(2, true));
	t.is(state.current?.anchor, 3);
	t.is(state.current?.cursor, 5);
	t.deepEqual(selection(state, state.current!), {start: 12, end: 25});
	const labelled = run(state, labelWith(1));
	t.deepEqual(labelled.current?.spans, [{
		start: 12, end: 25, token_start: 3, token_end: 5, label: 'JOB',
	}]);
	t.is(labelled.current?.anchor, undefined);
});

test('a selection made leftwards labels the same range', t => {
	const state = run(editing([item(sentence, 1)]), ...rights(5), left(true), left(true), labelWith(1));
	t.deepEqual(state.current?.spans, [{
		start: 12, end: 25, token_start: 3, token_end: 5, label: 'JOB',
	}]);
});

test('a move without shift ends a shift selection', t => {
	const state = run(editing([item(sentence, 1)]), right(true), right());
	t.is(state.current?.anchor, undefined);
	t.is(state.current?.cursor, 2);
});

test('select makes plain moves extend the selection until a label', t => {
	let state = run(editing([item(sentence, 1)]), ...rights(4), {type: 'select'});
	t.is(state.current?.anchor, 4);
	t.true(state.current?.sticky);
	state = run(state, right());
	t.is(state.current?.anchor, 4);
	t.is(state.current?.cursor, 5);
	state = run(state, labelWith(1));
	t.deepEqual(state.current?.spans, [{
		start: 14, end: 25, token_start: 4, token_end: 5, label: 'JOB',
	}]);
	t.false(state.current?.sticky);
	state = run(state, right());
	t.is(state.current?.anchor, undefined);
});

test('select again, or clear, ends the selection', t => {
	const base = run(editing([item(sentence, 1)]), {type: 'select'}, right());
	for (const action of [{type: 'select'}, {type: 'clear'}] as const) {
		const state = run(base, action, right());
		t.is(state.current?.anchor, undefined, action.type);
		t.false(state.current?.sticky, action.type);
		t.is(state.current?.cursor, 2, action.type);
	}
});

test('a label overlapping another span is refused, naming the span in the way', t => {
	const start = editing([item(sentence, 1, {spans: [annaSmith]})]);
	const state = run(start, right(), ...rights(2, true), labelWith(1));
	t.regex(state.notice ?? '', /Spans cannot overlap: \[Anna Smith PER] is in the way/);
	t.deepEqual(state.current?.spans, [annaSmith]);
	// A token inside the span is refused too.
	const inside = run(start, right(), labelWith(1));
	t.regex(inside.notice ?? '', /\[Anna Smith PER] is in the way/);
	t.deepEqual(inside.current?.spans, [annaSmith]);
});

test('the same range with another number relabels the span', t => {
	const state = run(editing([item(sentence, 1, {spans: [annaSmith]})]), right(true), labelWith(1));
	t.deepEqual(state.current?.spans, [{...annaSmith, label: 'JOB'}]);
	t.is(state.notice, 'Relabelled [Anna Smith PER] as JOB.');
});

test('spans stay sorted by start whatever order they are labelled in', t => {
	const state = run(editing([item(sentence, 1)]), move('end'), left(), left(), labelWith(0), move('home'), labelWith(0));
	t.deepEqual(state.current?.spans.map(span => [span.start, span.end]), [[0, 4], [40, 44]]);
});

test('delete removes the span under the cursor, and says so when there is none', t => {
	const start = editing([item(sentence, 1, {spans: [annaSmith]})]);
	const state = run(start, right(), {type: 'delete'});
	t.deepEqual(state.current?.spans, []);
	t.is(state.notice, undefined);
	const again = run(state, {type: 'delete'});
	t.is(again.notice, 'No span under the cursor to delete.');
	t.deepEqual(again.current?.spans, []);
	const elsewhere = run(start, ...rights(4), {type: 'delete'});
	t.is(elsewhere.notice, 'No span under the cursor to delete.');
	t.deepEqual(elsewhere.current?.spans, [annaSmith]);
});

test('an answer moves to the next queued item and is counted', t => {
	const state = run(editing([item(sentence, 1), item('Bob is a nurse.', 2), item('Cy is a cook.', 3)]), labelWith(0), {type: 'answer', answer: 'accept', taskHash: 11});
	t.is(state.current?.item.inputHash, 2);
	t.deepEqual(state.queue.map(editing => editing.item.inputHash), [3]);
	t.deepEqual(state.counts, {accept: 1, reject: 0, ignore: 0});
	t.is(state.history.length, 1);
	t.is(state.history[0]!.taskHash, 11);
	t.is(state.history[0]!.answer, 'accept');
	const next = run(state, {type: 'answer', answer: 'reject', taskHash: 12}, {type: 'answer', answer: 'ignore', taskHash: 13});
	t.is(next.current, undefined);
	t.deepEqual(next.counts, {accept: 1, reject: 1, ignore: 1});
});

test('back restores the previous example with its spans and puts the current one first in the queue', t => {
	let state = editing([item(sentence, 1), item('Bob is a nurse.', 2), item('Cy is a cook.', 3)]);
	state = run(state, right(true), labelWith(0), {type: 'answer', answer: 'accept', taskHash: 11});
	state = run(state, {type: 'back'});
	t.is(state.current?.item.inputHash, 1);
	t.deepEqual(state.current?.spans, [annaSmith]);
	t.deepEqual(state.queue.map(editing => editing.item.inputHash), [2, 3]);
	t.deepEqual(state.counts, {accept: 0, reject: 0, ignore: 0});
	t.deepEqual(state.history, []);
});

test('back after the last example brings it back with nothing queued', t => {
	const state = run(editing([item(sentence, 1)]), {type: 'answer', answer: 'reject', taskHash: 11}, {type: 'back'});
	t.is(state.current?.item.inputHash, 1);
	t.deepEqual(state.queue, []);
	t.is(state.counts.reject, 0);
});

test('back with nothing answered says so', t => {
	const state = run(editing([item(sentence, 1)]), {type: 'back'});
	t.is(state.notice, 'Nothing to go back to in this session.');
	t.is(state.current?.item.inputHash, 1);
});

test('a label number beyond the labels gives a notice listing them', t => {
	const state = run(editing([item(sentence, 1)]), labelWith(2));
	t.is(state.notice, 'No label 3: the labels are 1 PER, 2 JOB.');
	t.deepEqual(state.current?.spans, []);
});

test('word moves skip punctuation tokens', t => {
	const state = run(editing([item(sentence, 1)]), move('word-right'));
	t.is(state.current?.cursor, 1);
	t.is(run(state, move('word-right')).current?.cursor, 3);
	const nurse = run(state, ...rights(4));
	t.is(nurse.current?.cursor, 5);
	t.is(run(nurse, move('word-right')).current?.cursor, 7);
	t.is(run(nurse, move('word-right'), move('word-left')).current?.cursor, 5);
	t.is(run(state, move('word-right'), move('word-left')).current?.cursor, 1);
});

test('word-right from the last word goes to the last token, and word-left from the first stays', t => {
	const state = run(editing([item(sentence, 1)]), move('end'), left(), left());
	t.is(state.current?.cursor, 10);
	// "'s" holds a letter, so it is a word stop; after it only "." is left.
	t.is(run(state, move('word-right')).current?.cursor, 11);
	t.is(run(state, move('word-right'), move('word-right')).current?.cursor, 12);
	t.is(run(state, move('home'), move('word-left')).current?.cursor, 0);
});

test('home and end go to the first and last token, and moves stop there', t => {
	const end = run(editing([item(sentence, 1)]), move('end'));
	t.is(end.current?.cursor, 12);
	t.is(run(end, right()).current?.cursor, 12);
	const home = run(end, move('home'));
	t.is(home.current?.cursor, 0);
	t.is(run(home, left()).current?.cursor, 0);
});

test('shift+end selects to the end of the text', t => {
	const state = run(editing([item(sentence, 1)]), ...rights(9), move('end', true));
	t.deepEqual(selection(state, state.current!), {start: 36, end: 47});
});

test('in chars mode a selection inside a token gives a span without token indices', t => {
	const state = run(editing([item('Anna Smith works', 1)], true), ...rights(5), ...rights(2, true));
	t.deepEqual(selection(state, state.current!), {start: 5, end: 8});
	const labelled = run(state, labelWith(0));
	t.deepEqual(labelled.current?.spans, [{start: 5, end: 8, label: 'PER'}]);
	t.false('token_start' in labelled.current!.spans[0]!);
	t.false('token_end' in labelled.current!.spans[0]!);
});

test('in chars mode whitespace at the edges of a selection is trimmed', t => {
	const state = run(editing([item('Anna Smith works', 1)], true), ...rights(4), ...rights(6, true), labelWith(0));
	t.deepEqual(state.current?.spans, [{
		start: 5, end: 10, token_start: 1, token_end: 1, label: 'PER',
	}]);
});

test('in chars mode a selection of only whitespace is refused', t => {
	const state = run(editing([item('Anna Smith works', 1)], true), ...rights(4), labelWith(0));
	t.is(state.notice, 'Only whitespace is selected: move the cursor onto a word.');
	t.deepEqual(state.current?.spans, []);
});

test('in chars mode word moves go from token start to token start', t => {
	const state = run(editing([item('Anna Smith works', 1)], true), move('word-right'));
	t.is(state.current?.cursor, 5);
	t.is(run(state, move('word-right')).current?.cursor, 11);
	t.is(run(state, move('end')).current?.cursor, 15);
});

test('charRange gives token offsets, or characters in chars mode', t => {
	const {current} = editing([item(sentence, 1)]);
	t.deepEqual(charRange({chars: false}, current!, 4, 3), {start: 12, end: 19});
	t.deepEqual(charRange({chars: true}, current!, 4, 3), {start: 3, end: 5});
});

test('use-version takes the spans of that version', t => {
	const versions: Version[] = [
		{
			source: 'people/anna', answer: 'accept', spans: [annaSmith], count: 2,
		},
		{
			source: 'people/bob', answer: 'accept', spans: [], count: 1,
		},
	];
	const state = run(editing([item(sentence, 1, {versions})]), {type: 'use-version', index: 0});
	t.deepEqual(state.current?.spans, [annaSmith]);
	t.is(state.notice, 'Took version 1 (people/anna): edit it or press enter.');
	t.deepEqual(run(state, {type: 'use-version', index: 1}).current?.spans, []);
	const missing = run(state, {type: 'use-version', index: 2});
	t.is(missing.notice, 'No version 3.');
	t.deepEqual(missing.current?.spans, [annaSmith]);
});

// Taking a version drops the selection, including one begun with v.
test('use-version ends a selection begun with select', t => {
	const versions: Version[] = [{
		source: 'people/anna', answer: 'accept', spans: [annaSmith], count: 1,
	}];
	const state = run(editing([item(sentence, 1, {versions})]), {type: 'select'}, right(), {type: 'use-version', index: 0}, right());
	t.false(state.current?.sticky);
	t.is(state.current?.anchor, undefined);
});

test('actions that need an example do nothing without one', t => {
	const state = initialEditState(labels);
	for (const action of [right(), labelWith(0), {type: 'delete'}, {type: 'answer', answer: 'accept', taskHash: 1}] as EditAction[]) {
		t.is(editReducer(state, action), state);
	}
});

test('describeSpan collapses whitespace and shortens long spans', t => {
	t.is(describeSpan('Anna\n Smith works', {start: 0, end: 11, label: 'PER'}), '[Anna Smith PER]');
	const long = 'a'.repeat(40);
	t.is(describeSpan(long, {start: 0, end: 40, label: 'X'}), `[${'a'.repeat(29)}… X]`);
});
