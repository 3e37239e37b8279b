import test from 'ava';
import {
	clipAround, fit, wrapWords,
} from '../../source/ui/layout.js';

test('words wrap at spaces, never past the width, with no leading space', t => {
	const lines = wrapWords('Which questions: inkling reads the source ahead in windows of 20 sentences', 20);
	t.deepEqual(lines, ['Which questions:', 'inkling reads the', 'source ahead in', 'windows of 20', 'sentences']);
	t.true(lines.every(line => line.length <= 20 && !line.startsWith(' ')));
});

test('a long sentence is clipped around its span, and control characters are made visible', t => {
	const text = `${'word '.repeat(40)}Staff Nurse \u001B[2J ${'more '.repeat(40)}`;
	const start = text.indexOf('Staff');
	const parts = clipAround(text, start, start + 11, 60);
	t.is(parts.span, 'Staff Nurse');
	t.true(parts.before.startsWith('…'));
	t.true(parts.after.endsWith('…'));
	t.true(parts.after.includes('␛[2J'));
	t.true(parts.before.length + parts.span.length + parts.after.length <= 62);
});

test('widths are terminal columns: Chinese and Japanese characters take two, and text without spaces wraps between characters', t => {
	// 8 characters of 2 columns each: 16 columns.
	const chinese = '我们正在招聘护士';
	t.is(fit(chinese, 16), chinese);
	t.is(fit(chinese, 9), '我们正在…');
	t.is(fit('Staff Nurse', 6), 'Staff…');
	const lines = wrapWords(`${chinese}${chinese} 看护`, 10);
	t.deepEqual(lines, ['我们正在招', '聘护士我们', '正在招聘护', '士 看护']);
});
