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
 * Split what the terminal sent into key presses, each as Ink's `[input, key]`.
 * Unlike Ink's own parsing, backspace (DEL or BS) and the Delete key (ESC [3~)
 * stay apart, shift/ctrl/alt arrows are recognised, and a burst of keys typed
 * faster than the screen reads them gives one press each.
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

/**
 * Call `handler` for each key press, parsed from the raw input by
 * `parseKeys`, with the terminal in raw mode. Used instead of Ink's
 * `useInput` where backspace and Delete mean different things.
 */
export function useKeys(handler: (input: string, key: Key) => void): void {
	const {setRawMode, internal_eventEmitter: events} = useStdin();
	const latest = useRef(handler);
	useEffect(() => {
		latest.current = handler;
	});
	useEffect(() => {
		setRawMode(true);
		const onInput = (data: string) => {
			for (const [input, key] of parseKeys(data)) {
				latest.current(input, key);
			}
		};

		events.on('input', onInput);
		return () => {
			events.off('input', onInput);
			setRawMode(false);
		};
	}, [setRawMode, events]);
}
