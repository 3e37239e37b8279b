import test from 'ava';
import {differenceWindow, spanSegments} from '../../source/ui/span-text.js';

test('a text that fits is shown whole, as plain pieces and spans in order', t => {
	const text = 'Anna Smith works in Leeds.';
	t.deepEqual(differenceWindow(text, [[{start: 0, end: 10, label: 'PER'}], []], 80), {start: 0, end: text.length});
	t.deepEqual(spanSegments(text, [{start: 20, end: 25, label: 'LOC'}, {start: 0, end: 10, label: 'PER'}]), [
		{text: 'Anna Smith', label: 'PER'}, {text: ' works in '}, {text: 'Leeds', label: 'LOC'}, {text: '.'},
	]);
});

test('a long text is cut around where the outputs differ, the same for both, never inside a span', t => {
	const text = `${'word '.repeat(40)}Anna Smith said so ${'and more '.repeat(40)}`;
	const start = text.indexOf('Anna');
	const person = {start, end: start + 10, label: 'PER'};
	const window = differenceWindow(text, [[person], []], 40);
	t.true(window.start <= start && window.end >= start + 10);
	t.true(window.end - window.start <= 40);
	const segments = spanSegments(text, [person], window);
	t.is(segments[0]!.text, '…');
	t.is(segments.at(-1)!.text, '…');
	t.true(segments.some(segment => segment.label === 'PER' && segment.text === 'Anna Smith'));
	const cutting = differenceWindow(text, [[person, {start: 2, end: start - 2, label: 'LOC'}], [person]], 40);
	t.is(cutting.start, 2, 'widened to take in a long span that differs');
});

test('control characters are drawn as placeholders', t => {
	t.deepEqual(spanSegments('Evil \u001B[2J text', []), [{text: 'Evil ␛[2J text'}]);
});
