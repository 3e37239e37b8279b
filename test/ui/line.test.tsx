import React from 'react';
import test from 'ava';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {Line, asciiRuns, isPlainAscii} from '../../source/ui/Line.js';

test('asciiRuns cuts a string into ASCII and non-ASCII runs, in order, losing nothing', t => {
	t.deepEqual(asciiRuns('✓ 2 accept · 3'), ['✓', ' 2 accept ', '·', ' 3']);
	t.deepEqual(asciiRuns('plain'), ['plain']);
	t.deepEqual(asciiRuns(''), []);
	t.deepEqual(asciiRuns('日本語 text'), ['日本語', ' text']);
	t.is(asciiRuns('a·b—c😀d').join(''), 'a·b—c😀d');
});

test('isPlainAscii: printable ASCII only', t => {
	t.true(isPlainAscii('answered 3 this session'));
	t.false(isPlainAscii('a · b'));
	t.false(isPlainAscii('tab\there'));
});

test.serial('Line draws what Text draws, with or without non-ASCII runs', t => {
	for (const text of ['answered 2 this session: ✓ 1 accept · ✗ 1 reject', 'plain ascii line', 'wide 日本 and emoji 😀 end']) {
		const line = render(<Line bold text={text}/>);
		const plain = render(<Text bold>{text}</Text>);
		t.is(line.lastFrame(), plain.lastFrame());
		line.unmount();
		plain.unmount();
	}
});
