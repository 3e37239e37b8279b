import {PassThrough, Writable} from 'node:stream';
import React from 'react';
import test, {type ExecutionContext} from 'ava';
import {render, type Key} from 'ink';
import {parseKeys, useKeys} from '../../source/ui/keys.js';

/** The one press `data` gives. */
function only(t: ExecutionContext, data: string): [string, Key] {
	const presses = parseKeys(data);
	t.is(presses.length, 1, `${JSON.stringify(data)} gives one press`);
	return presses[0]!;
}

/** The names of the flags that are on. */
function flags(key: Key): string[] {
	return Object.entries(key).filter(([, value]) => value === true).map(([name]) => name).sort();
}

test('CSI and SS3 arrows are arrows with no modifier', t => {
	const arrows = {
		A: 'upArrow', B: 'downArrow', C: 'rightArrow', D: 'leftArrow',
	} as const;
	for (const [final, name] of Object.entries(arrows)) {
		for (const data of [`\u001B[${final}`, `\u001BO${final}`]) {
			const [input, key] = only(t, data);
			t.is(input, '');
			t.deepEqual(flags(key), [name], JSON.stringify(data));
		}
	}
});

test('shift, ctrl and alt arrows carry their modifier', t => {
	t.deepEqual(flags(only(t, '\u001B[1;2C')[1]), ['rightArrow', 'shift']);
	t.deepEqual(flags(only(t, '\u001B[1;2D')[1]), ['leftArrow', 'shift']);
	t.deepEqual(flags(only(t, '\u001B[1;5D')[1]), ['ctrl', 'leftArrow']);
	t.deepEqual(flags(only(t, '\u001B[1;5C')[1]), ['ctrl', 'rightArrow']);
	t.deepEqual(flags(only(t, '\u001B[1;3C')[1]), ['meta', 'rightArrow']);
	t.deepEqual(flags(only(t, '\u001B[1;6C')[1]), ['ctrl', 'rightArrow', 'shift']);
});

test('ESC b and ESC f are alt+b and alt+f', t => {
	t.deepEqual(only(t, '\u001Bb'), ['b', {...only(t, 'b')[1], meta: true}]);
	const [input, key] = only(t, '\u001Bf');
	t.is(input, 'f');
	t.deepEqual(flags(key), ['meta']);
});

test('every home and end sequence is home or end', t => {
	for (const data of ['\u001B[H', '\u001BOH', '\u001B[1~', '\u001B[7~']) {
		t.deepEqual(flags(only(t, data)[1]), ['home'], JSON.stringify(data));
	}

	for (const data of ['\u001B[F', '\u001BOF', '\u001B[4~', '\u001B[8~']) {
		t.deepEqual(flags(only(t, data)[1]), ['end'], JSON.stringify(data));
	}
});

test('the Delete key is delete, not backspace', t => {
	const [input, key] = only(t, '\u001B[3~');
	t.is(input, '');
	t.true(key.delete);
	t.false(key.backspace);
	t.deepEqual(flags(key), ['delete']);
});

test('DEL and BS are backspace, not delete', t => {
	for (const data of ['\u007F', '\b']) {
		const [input, key] = only(t, data);
		t.is(input, '');
		t.true(key.backspace);
		t.false(key.delete);
		t.deepEqual(flags(key), ['backspace']);
	}
});

test('page up and page down are read from their tilde sequences', t => {
	t.deepEqual(flags(only(t, '\u001B[5~')[1]), ['pageUp']);
	t.deepEqual(flags(only(t, '\u001B[6~')[1]), ['pageDown']);
});

test('enter, tab and shift+tab', t => {
	t.deepEqual(only(t, '\r'), ['', only(t, '\n')[1]]);
	t.deepEqual(flags(only(t, '\r')[1]), ['return']);
	t.deepEqual(flags(only(t, '\t')[1]), ['tab']);
	t.deepEqual(flags(only(t, '\u001B[Z')[1]), ['shift', 'tab']);
});

test('a lone escape, and two escapes in a row, are escape presses', t => {
	t.deepEqual(flags(only(t, '\u001B')[1]), ['escape']);
	const twice = parseKeys('\u001B\u001B');
	t.is(twice.length, 2);
	t.true(twice.every(([input, key]) => input === '' && key.escape));
});

test('ctrl+c is the letter c with ctrl', t => {
	const [input, key] = only(t, '\u0003');
	t.is(input, 'c');
	t.deepEqual(flags(key), ['ctrl']);
	t.is(only(t, '\u0001')[0], 'a');
});

test('a burst of keys gives one press each, in order', t => {
	const presses = parseKeys('lll1\r');
	t.deepEqual(presses.map(([input]) => input), ['l', 'l', 'l', '1', '']);
	t.true(presses[4]![1].return);
	t.true(presses.slice(0, 4).every(([, key]) => flags(key).length === 0));
});

test('a burst mixing sequences and letters keeps them apart', t => {
	const presses = parseKeys('\u001B[1;2Cx\u001B[3~\u007F');
	t.deepEqual(presses.map(([input, key]) => [input, flags(key)]), [
		['', ['rightArrow', 'shift']],
		['x', []],
		['', ['delete']],
		['', ['backspace']],
	]);
});

test('a capital letter sets shift and a small one does not', t => {
	const [input, key] = only(t, 'L');
	t.is(input, 'L');
	t.deepEqual(flags(key), ['shift']);
	t.false(only(t, 'l')[1].shift);
	t.false(only(t, '1')[1].shift);
});

test('a character outside the BMP is one press', t => {
	t.is(only(t, '😀')[0], '😀');
});

test('an unknown CSI sequence is swallowed, not typed as letters', t => {
	t.deepEqual(parseKeys('\u001B[2~a').map(([input]) => input), ['a']);
});

/** A terminal's input as Node gives one: a real stream, in raw mode. */
class TerminalInput extends PassThrough {
	rawMode = false;

	get isTTY(): boolean {
		return true;
	}

	setRawMode(on: boolean): this {
		this.rawMode = on;
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}
}

function Keys({onKey}: {readonly onKey: (input: string, key: Key) => void}): React.ReactElement {
	useKeys(onKey);
	return React.createElement('ink-text', null, 'keys');
}

test.serial('useKeys reads a real input stream under Ink: each press once, in order, a sequence split between writes whole, and raw mode off at the end', async t => {
	const input = new TerminalInput();
	const output = Object.assign(new Writable({
		write(_chunk, _encoding, callback) {
			callback();
		},
	}), {columns: 80, rows: 24, isTTY: true});
	const presses: string[] = [];
	let wanted = 0;
	let arrived: (() => void) | undefined;
	const app = render(React.createElement(Keys, {
		onKey(text: string, key: Key) {
			presses.push(text || flags(key).join('+'));
			if (presses.length >= wanted) {
				arrived?.();
			}
		},
	}), {
		stdin: input as unknown as NodeJS.ReadStream, stdout: output as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false,
	});
	const send = async (count: number, ...chunks: string[]) => new Promise<void>(resolve => {
		wanted = presses.length + count;
		arrived = resolve;
		for (const chunk of chunks) {
			input.write(chunk);
		}
	});

	try {
		t.true(input.rawMode);
		await send(5, 'ax\u007F\u001B[3~ ');
		t.deepEqual(presses, ['a', 'x', 'backspace', 'delete', ' ']);
		// A sequence cut in two by the terminal's writes is still one key: the rest comes after the first part was read.
		input.once('data', () => {
			input.write('A');
		});
		await send(1, '\u001B[');
		t.is(presses.at(-1), 'upArrow');
		await send(1, '\u001B');
		t.is(presses.at(-1), 'escape');
		t.is(presses.length, 7, 'nothing was read twice');
	} finally {
		app.unmount();
	}

	t.false(input.rawMode);
});
