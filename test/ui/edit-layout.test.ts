import test from 'ava';
import type {EditSpan} from '../../source/recipes/manual/types.js';
import {
	layoutText, textWindow, visibleLines, type Run,
} from '../../source/ui/edit-layout.js';

const lineText = (line: readonly Run[]) => line.map(run => run.text).join('');

// The wide ranges edit-layout.ts counts as two columns.
const wide = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
const columns = (text: string) => [...text].reduce((sum, character) => sum + (wide.test(character) ? 2 : 1), 0);

/** The lines as plain strings, with the cursor on the first character. */
function draw(text: string, spans: readonly EditSpan[], width: number): string[] {
	return layoutText(text, spans, {cursor: {start: 0, end: 1}}, width).lines.map(line => lineText(line));
}

const words = 'The hospital is looking for an experienced staff nurse to join the night team on ward seven, and for a sous chef who can run the kitchen at weekends.';

test('spans are drawn as [text LABEL] so they read without colour', t => {
	const text = 'Anna Smith works as a staff nurse.';
	const spans: EditSpan[] = [{start: 0, end: 10, label: 'PER'}, {start: text.indexOf('staff'), end: text.indexOf('.'), label: 'JOB'}];
	t.deepEqual(draw(text, spans, 80), ['[Anna Smith PER] works as a [staff nurse JOB].']);
});

test('a span\'s text carries its label, and its brackets and label are marks', t => {
	const {lines} = layoutText('Anna Smith works', [{start: 0, end: 10, label: 'PER'}], {cursor: {start: 11, end: 16}}, 80);
	t.deepEqual(lines[0], [
		{text: '[', style: {label: 'PER', mark: true}},
		{text: 'Anna Smith', style: {label: 'PER'}},
		{text: ' PER]', style: {label: 'PER', mark: true}},
		{text: ' ', style: {}},
		{text: 'works', style: {cursor: true}},
	]);
});

test('the cursor and the selection are styled apart', t => {
	const {lines} = layoutText('Anna Smith works', [], {cursor: {start: 5, end: 10}, selection: {start: 0, end: 10}}, 80);
	t.deepEqual(lines[0], [
		{text: 'Anna ', style: {selected: true}},
		{text: 'Smith', style: {cursor: true, selected: true}},
		{text: ' works', style: {}},
	]);
});

test('lines break at spaces and are never wider than the width', t => {
	const spans: EditSpan[] = ['staff nurse', 'sous chef'].map(name => ({start: words.indexOf(name), end: words.indexOf(name) + name.length, label: 'JOB'}));
	for (const width of [12, 17, 20, 33, 40, 79]) {
		const lines = draw(words, spans, width);
		t.true(lines.length > 1, `width ${width}`);
		t.true(lines.every(line => columns(line) <= width), `width ${width}: ${JSON.stringify(lines)}`);
		t.is(lines.join(''), draw(words, spans, 1000)[0]!, `width ${width}: nothing is lost or added`);
		// Every line but the last ends where a space was.
		t.true(lines.slice(0, -1).every(line => line.endsWith(' ')), `width ${width}: ${JSON.stringify(lines)}`);
	}
});

test('words wrap greedily', t => {
	t.deepEqual(draw('one two three four five', [], 9), ['one two ', 'three ', 'four five']);
});

test('a word longer than the line is cut at the edge', t => {
	t.deepEqual(draw('a supercalifragilistic word', [], 10), ['a ', 'supercalif', 'ragilistic', ' word']);
});

test('the line the cursor is on is reported', t => {
	const start = words.indexOf('weekends');
	const {lines, cursorLine} = layoutText(words, [], {cursor: {start, end: start + 8}}, 20);
	t.is(cursorLine, lines.length - 1);
	t.true(lines[cursorLine]!.some(run => run.style.cursor && run.text === 'weekends'));
	const middle = words.indexOf('night');
	const found = layoutText(words, [], {cursor: {start: middle, end: middle + 5}}, 20);
	t.true(found.cursorLine > 0 && found.cursorLine < found.lines.length - 1);
	t.true(found.lines[found.cursorLine]!.some(run => run.style.cursor && run.text === 'night'));
	t.is(layoutText(words, [], {cursor: {start: 0, end: 3}}, 20).cursorLine, 0);
});

test('a cursor past the end of the text shows as a space', t => {
	const {lines} = layoutText('', [], {cursor: {start: 0, end: 1}}, 20);
	t.deepEqual(lines, [[{text: ' ', style: {cursor: true}}]]);
	const after = layoutText('ab', [], {cursor: {start: 2, end: 3}}, 20);
	t.deepEqual(after.lines[0]!.at(-1), {text: ' ', style: {cursor: true}});
});

test('escape sequences and line breaks in the text are never drawn raw', t => {
	const text = 'Anna \u001B[31mSmith\u001B[0m works\nat\tthe \u0007bar\u009B2J.';
	const spans: EditSpan[] = [{start: 0, end: 19, label: 'PER'}];
	for (const width of [8, 80]) {
		const {lines} = layoutText(text, spans, {cursor: {start: 0, end: 4}}, width);
		for (const run of lines.flat()) {
			// eslint-disable-next-line no-control-regex
			t.notRegex(run.text, /[\u0000-\u001F\u007F-\u009F]/u);
		}
	}

	// The same length is kept, so the span still brackets the text it names.
	t.deepEqual(draw(text, spans, 200), ['[Anna ␛[31mSmith␛[0m PER] works⏎at⇥the ␇bar�2J.']);
});

test('wide characters take two columns', t => {
	const lines = draw('寿司 職人 募集 中です', [], 6);
	t.true(lines.every(line => columns(line) <= 6), JSON.stringify(lines));
	t.deepEqual(lines, ['寿司 ', '職人 ', '募集 ', '中です']);
});

// A line carried over after a break at a space may leave no room for a wide
// character: it then goes on a line of its own.
test('a wide character after a carried-over word still fits the width', t => {
	const lines = draw(' xyz中', [], 4);
	t.true(lines.every(line => columns(line) <= 4), JSON.stringify(lines));
});

test('visibleLines shows everything when it fits', t => {
	t.deepEqual(visibleLines(5, 4, 10), {from: 0, to: 5});
	t.deepEqual(visibleLines(10, 9, 10), {from: 0, to: 10});
});

test('visibleLines keeps the focus line in view, a third of the way down', t => {
	for (const total of [11, 20, 57]) {
		for (const room of [1, 3, 6, 10]) {
			for (let focus = 0; focus < total; focus++) {
				const {from, to} = visibleLines(total, focus, room);
				t.is(to - from, room);
				t.true(from >= 0 && to <= total);
				t.true(focus >= from && focus < to, `total ${total}, room ${room}, focus ${focus}: ${from}-${to}`);
			}
		}
	}

	t.deepEqual(visibleLines(30, 15, 9), {from: 12, to: 21});
	t.deepEqual(visibleLines(30, 29, 9), {from: 21, to: 30});
	t.deepEqual(visibleLines(30, 1, 9), {from: 0, to: 9});
});

test('a long text is laid out only around the cursor: cut at whitespace, never inside a span, always holding the cursor', t => {
	const text = Array.from({length: 2000}, (_, index) => `word${index}`).join(' ');
	const short = textWindow('a short text', [], {start: 2, end: 7}, 100);
	t.deepEqual(short, {start: 0, end: 12});
	const cursor = {start: text.indexOf('word1000'), end: text.indexOf('word1000') + 8};
	const span = {start: text.indexOf('word990'), end: text.indexOf('word995') + 7, label: 'X'};
	const window = textWindow(text, [span], cursor, 300);
	t.true(window.start <= cursor.start && window.end >= cursor.end);
	t.true(window.end - window.start <= 320);
	t.true(window.start === 0 || text[window.start - 1] === ' ');
	t.true(window.end === text.length || text[window.end] === ' ');
	t.false(span.start < window.start && span.end > window.start);
	t.false(span.start < window.end && span.end > window.end);
	// A span reaching over the edge pulls the edge out to take it whole.
	const wide = {start: text.indexOf('word850'), end: text.indexOf('word1000') + 8, label: 'X'};
	const pulled = textWindow(text, [wide], cursor, 300);
	t.is(pulled.start, wide.start);
});
