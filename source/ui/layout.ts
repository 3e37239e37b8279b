import stringWidth from 'string-width';
import {terminalSafe} from '../text/terminal-safe.js';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** The longest start of `text` that takes at most `width` columns (whole graphemes: a wide character is 2). */
function headOf(text: string, width: number): string {
	let head = '';
	let columns = 0;
	for (const {segment} of segmenter.segment(text)) {
		const next = stringWidth(segment);
		if (columns + next > width) {
			break;
		}

		head += segment;
		columns += next;
	}

	return head;
}

/** A text cut into what comes before a span, the span, and what comes after, made safe to draw. */
export type SpanParts = {before: string; span: string; after: string};

/**
 * The part of `text` around `start`-`end` that fits in about `room`
 * characters, made safe for the terminal: long sentences keep the span and
 * the words nearest it, with "…" where text was left out. The span itself is
 * shown whole up to `room` characters, on one line.
 */
export function clipAround(text: string, start: number, end: number, room: number): SpanParts {
	let span = terminalSafe(text.slice(start, end), {singleLine: true});
	if (span.length > room) {
		span = span.slice(0, Math.max(1, room - 1)) + '…';
	}

	const left = Math.max(0, room - span.length);
	// Context on both sides; what one side does not need goes to the other.
	const beforeText = text.slice(0, start);
	const afterText = text.slice(end);
	let beforeRoom = Math.floor(left / 2);
	let afterRoom = left - beforeRoom;
	if (beforeText.length < beforeRoom) {
		afterRoom += beforeRoom - beforeText.length;
		beforeRoom = beforeText.length;
	} else if (afterText.length < afterRoom) {
		beforeRoom += afterRoom - afterText.length;
		afterRoom = afterText.length;
	}

	const before = beforeText.length > beforeRoom ? '…' + beforeText.slice(beforeText.length - beforeRoom + 1) : beforeText;
	const after = afterText.length > afterRoom ? afterText.slice(0, Math.max(0, afterRoom - 1)) + '…' : afterText;
	return {before: terminalSafe(before), span, after: terminalSafe(after)};
}

/** Cut a line to `width` terminal columns with "…" (Chinese and Japanese characters take two). */
export function fit(line: string, width: number): string {
	return stringWidth(line) <= width ? line : headOf(line, Math.max(0, width - 1)) + '…';
}

/**
 * Wrap text at spaces into lines of at most `width` terminal columns; a word
 * wider than a line (as text without spaces, in Chinese or Japanese, is) is
 * cut between characters.
 */
export function wrapWords(text: string, width: number): string[] {
	const room = Math.max(1, width);
	const lines: string[] = [];
	let line = '';
	for (let word of text.split(/\s+/u).filter(Boolean)) {
		while (stringWidth(word) > room) {
			if (line !== '') {
				lines.push(line);
				line = '';
			}

			const head = headOf(word, room) || [...word][0]!;
			lines.push(head);
			word = word.slice(head.length);
		}

		if (word === '') {
			continue;
		}

		if (line !== '' && stringWidth(line) + 1 + stringWidth(word) > room) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	if (line !== '') {
		lines.push(line);
	}

	return lines;
}

// eslint-disable-next-line no-control-regex
const sgr = /^\u001B\[[\d;]*m/u;

/**
 * Wrap text that may hold colour codes (SGR sequences, which take no
 * columns) into lines of at most `width` columns, breaking at spaces, each
 * line after a break starting with `indent`.
 */
export function wrapColoured(text: string, width: number, indent = ''): string {
	const room = Math.max(10, width);
	return text.split('\n').map(line => {
		const out: string[] = [];
		let current = '';
		let columns = 0;
		// Where the last space is in `current`, and the columns after it.
		let space = -1;
		let afterSpace = 0;
		for (let index = 0; index < line.length;) {
			const code = sgr.exec(line.slice(index, index + 16));
			if (code) {
				current += code[0];
				index += code[0].length;
				continue;
			}

			const character = String.fromCodePoint(line.codePointAt(index)!);
			index += character.length;
			if (columns + 1 > room && current.trim() !== '') {
				if (space >= 0) {
					out.push(current.slice(0, space));
					current = indent + current.slice(space + 1);
					columns = indent.length + afterSpace;
				} else {
					out.push(current);
					current = indent;
					columns = indent.length;
				}

				space = -1;
				afterSpace = 0;
			}

			if (character === ' ') {
				space = current.length;
				afterSpace = -1;
			}

			current += character;
			columns++;
			afterSpace++;
		}

		out.push(current);
		return out.join('\n');
	}).join('\n');
}
