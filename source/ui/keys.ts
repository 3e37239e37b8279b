import {useEffect, useRef} from 'react';
import {useStdin, type Key} from 'ink';

/** A key press as Ink describes one, built from the raw bytes. */
function keyOf(flags: Partial<Key> = {}): Key {
	const key: Key = {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		eventType: undefined,
		...flags,
	};
	return key;
}

// The final byte of a CSI or SS3 sequence, and the key it names.
const finals: Record<string, Partial<Key>> = {
	A: {upArrow: true},
	B: {downArrow: true},
	C: {rightArrow: true},
	D: {leftArrow: true},
	H: {home: true},
	F: {end: true},
};

// `ESC [ n ~` keys.
const tildes: Record<string, Partial<Key>> = {
	1: {home: true},
	7: {home: true},
	4: {end: true},
	8: {end: true},
	3: {delete: true},
	5: {pageUp: true},
	6: {pageDown: true},
};

/** Modifier flags from xterm's parameter (2 shift, 3 alt, 5 ctrl, and their sums plus one). */
function modifiers(parameter: number): Partial<Key> {
	const bits = Math.max(0, parameter - 1);
	return {shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0};
}

// eslint-disable-next-line no-control-regex
const csi = /^\u001B\[(?:(\d+)(?:;(\d+))?)?([~A-Za-z])/u;
// eslint-disable-next-line no-control-regex
const ss3 = /^\u001BO([A-Za-z])/u;

/**
 * Split what the terminal sent into key presses, each as Ink's `[input, key]`:
 * the one key parser of every screen. Unlike Ink's own parsing, backspace
 * (DEL or BS) and the Delete key (ESC [3~) stay apart, shift/ctrl/alt arrows
 * are recognised, and a burst of keys typed faster than the screen reads them
 * (or pasted) gives one press each.
 */
export function parseKeys(data: string): Array<[string, Key]> {
	const presses: Array<[string, Key]> = [];
	let rest = data;
	while (rest.length > 0) {
		const sequence = csi.exec(rest) ?? ss3.exec(rest);
		if (sequence) {
			const [whole] = sequence;
			const isCsi = whole.startsWith('\u001B[');
			const final = isCsi ? sequence[3]! : sequence[1]!;
			const first = isCsi && sequence[1] ? Number(sequence[1]) : 1;
			const flags = final === '~' ? tildes[String(first)] : finals[final];
			const modifier = isCsi && sequence[2] ? modifiers(Number(sequence[2])) : {};
			if (final === 'Z') {
				presses.push(['', keyOf({tab: true, shift: true})]);
			} else if (flags) {
				presses.push(['', keyOf({...flags, ...modifier})]);
			}

			rest = rest.slice(whole.length);
			continue;
		}

		const character = String.fromCodePoint(rest.codePointAt(0)!);
		if (character === '\u001B') {
			const next = rest[1];
			if (next === undefined || next === '\u001B') {
				presses.push(['', keyOf({escape: true})]);
				rest = rest.slice(1);
			} else {
				// Alt plus a key: ESC then the key ("ESC b" and "ESC f" are alt+left and alt+right in many terminals).
				const meta = parseKeys(String.fromCodePoint(rest.codePointAt(1)!))[0]!;
				presses.push([meta[0], {...meta[1], meta: true}]);
				rest = rest.slice(1 + String.fromCodePoint(rest.codePointAt(1)!).length);
			}

			continue;
		}

		rest = rest.slice(character.length);
		const code = character.codePointAt(0)!;
		const named: Record<string, Partial<Key>> = {
			'\r': {return: true}, '\n': {return: true}, '\t': {tab: true}, '\u007F': {backspace: true}, '\b': {backspace: true},
		};
		if (named[character]) {
			presses.push(['', keyOf(named[character])]);
		} else if (code < 0x20) {
			// Ctrl plus a letter: Ctrl+A is 1.
			presses.push([String.fromCodePoint(code + 96), keyOf({ctrl: true})]);
		} else {
			presses.push([character, keyOf({shift: /^[A-Z]$/u.test(character)})]);
		}
	}

	return presses;
}

// The end of a chunk that may be the start of a longer key: a lone ESC, or a CSI or SS3 sequence not yet ended.
// eslint-disable-next-line no-control-regex
const unfinished = /\u001B(?:\[[\d;]*|O)?$/u;

/**
 * Call `handler` for each key press, parsed by `parseKeys` from what the
 * terminal sends, with the terminal in raw mode: the one way every screen
 * reads keys. It listens to the input stream's own `data` events (which a
 * stream emits for each chunk it hands to `read()`, as Ink's reader calls it),
 * so it needs nothing of Ink but raw mode. A chunk that ends inside an escape
 * sequence waits for the rest until the next turn of the event loop, as Ink's
 * own reader does; then it is read as it is (a lone ESC is the Escape key).
 */
export function useKeys(handler: (input: string, key: Key) => void): void {
	const {stdin, setRawMode} = useStdin();
	const latest = useRef(handler);
	useEffect(() => {
		latest.current = handler;
	});
	useEffect(() => {
		setRawMode(true);
		let pending = '';
		let flush: NodeJS.Immediate | undefined;
		const deliver = (text: string) => {
			for (const [input, key] of parseKeys(text)) {
				latest.current(input, key);
			}
		};

		const onData = (data: string | Uint8Array) => {
			if (flush) {
				clearImmediate(flush);
				flush = undefined;
			}

			const text = pending + (typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
			const end = unfinished.exec(text);
			pending = end ? end[0] : '';
			deliver(end ? text.slice(0, end.index) : text);
			if (pending) {
				flush = setImmediate(() => {
					flush = undefined;
					const rest = pending;
					pending = '';
					deliver(rest);
				});
			}
		};

		stdin.on('data', onData);
		return () => {
			if (flush) {
				clearImmediate(flush);
			}

			stdin.off('data', onData);
			setRawMode(false);
		};
	}, [stdin, setRawMode]);
}
