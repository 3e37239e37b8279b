/**
 * Make text from data safe to draw on a terminal: control characters and
 * escape sequences are shown as visible placeholders (the Unicode control
 * pictures: ESC as "␛"), never sent to the terminal. Newlines and tabs are
 * kept unless `singleLine` is set, which shows them as "⏎" and "⇥".
 * The result has the same length in UTF-16 units, so span offsets still fit.
 */
export function terminalSafe(text: string, options: {singleLine?: boolean} = {}): string {
	let result = '';
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code === 0x0A || code === 0x09) {
			result += options.singleLine ? (code === 0x0A ? '⏎' : '⇥') : text[index]!;
		} else if (code < 0x20) {
			result += String.fromCharCode(0x24_00 + code);
		} else if (code === 0x7F) {
			result += '␡';
		} else if ((code >= 0x80 && code <= 0x9F) || code === 0x20_28 || code === 0x20_29 || code === 0xFE_FF) {
			result += '�';
		} else {
			result += text[index]!;
		}
	}

	return result;
}

/** Whether the terminal should get colour: standard output is a TTY and NO_COLOR is not set. */
export function colorWanted(stream: NodeJS.WriteStream = process.stdout): boolean {
	return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

// Sixteen-colour backgrounds, so highlights show on a plain terminal.
const palette = ['\u001B[30;46m', '\u001B[30;43m', '\u001B[30;42m', '\u001B[30;45m', '\u001B[30;44m', '\u001B[30;41m', '\u001B[30;47m'];

/** A text with its spans marked: `[span text LABEL]`, coloured per label when `color` is on. Brackets are always there, so it reads without colour. */
export function markSpans(text: string, spans: ReadonlyArray<{start: number; end: number; label: string}>, labels: readonly string[], color: boolean): string {
	const sorted = [...spans].sort((a, b) => a.start - b.start);
	let result = '';
	let position = 0;
	for (const span of sorted) {
		if (span.start < position) {
			continue; // Overlaps one already drawn
		}

		result += terminalSafe(text.slice(position, span.start));
		const inner = `[${terminalSafe(text.slice(span.start, span.end), {singleLine: true})} ${span.label}]`;
		const index = Math.max(0, labels.indexOf(span.label)) % palette.length;
		result += color ? `${palette[index]!}${inner}\u001B[0m` : inner;
		position = span.end;
	}

	return result + terminalSafe(text.slice(position));
}
