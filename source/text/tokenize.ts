/** A token with its UTF-16 offsets in the text it came from (end exclusive). */
export type Token = {
	readonly text: string;
	readonly start: number;
	readonly end: number;
	readonly id: number;
	/** Whether whitespace follows the token. */
	readonly ws: boolean;
};

// V8's Intl.Segmenter is quadratic in the length of the string it segments
// (64k characters took 0.5 s, 1 MB took 7 minutes), so long texts are cut
// into pieces of about this many characters before segmenting.
const pieceLength = 1024;
const whitespace = /\s/u;
const cutAfter = /[\s\p{P}]/u;

const segmenters = new Map<string, Intl.Segmenter>();

function wordSegmenter(locale: string): Intl.Segmenter {
	let segmenter = segmenters.get(locale);
	if (!segmenter) {
		segmenter = new Intl.Segmenter(locale, {granularity: 'word'});
		segmenters.set(locale, segmenter);
	}

	return segmenter;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xDC_00 && code <= 0xDF_FF;
}

/** A character that joins to the one before it: never cut before it. */
function joinsPrevious(text: string, index: number): boolean {
	const code = text.charCodeAt(index);
	return isLowSurrogate(code)
		|| code === 0x20_0D // Zero-width joiner
		|| (code >= 0xFE_00 && code <= 0xFE_0F) // Variation selectors
		|| (code >= 0x03_00 && code <= 0x03_6F) // Combining diacritics
		|| /\p{M}/u.test(text[index] ?? '')
		|| (index > 0 && text.charCodeAt(index - 1) === 0x20_0D);
}

/** Where to end the piece that starts at `from`: after whitespace or punctuation when there is some, never inside a character. */
function pieceEnd(text: string, from: number): number {
	const limit = from + pieceLength;
	if (limit >= text.length) {
		return text.length;
	}

	for (let index = limit; index > from + (pieceLength / 2); index--) {
		if (whitespace.test(text[index - 1]!)) {
			return index;
		}
	}

	for (let index = limit; index > from + (pieceLength / 2); index--) {
		if (cutAfter.test(text[index - 1]!) && !joinsPrevious(text, index)) {
			return index;
		}
	}

	let index = limit;
	while (index < text.length && joinsPrevious(text, index)) {
		index++;
	}

	return index;
}

/**
 * Split a text into word and punctuation tokens with `Intl.Segmenter`, so text
 * without spaces (Chinese, Japanese, Thai) tokenizes too. Whitespace is not a token.
 */
export function tokenize(text: string, locale = 'en'): Token[] {
	const segmenter = wordSegmenter(locale);
	const tokens: Token[] = [];
	let pending: {text: string; start: number; end: number} | undefined;
	const flush = (ws: boolean) => {
		if (pending) {
			tokens.push({...pending, id: tokens.length, ws});
			pending = undefined;
		}
	};

	for (let from = 0; from < text.length;) {
		const to = pieceEnd(text, from);
		for (const {segment, index} of segmenter.segment(text.slice(from, to))) {
			if (whitespace.test(segment[0]!) && segment.trim() === '') {
				flush(true);
				continue;
			}

			flush(false);
			pending = {text: segment, start: from + index, end: from + index + segment.length};
		}

		from = to;
	}

	flush(false);
	return mergeAbbreviations(tokens);
}

// "U.S" then "." (the word segmenter keeps a final full stop apart) become "U.S.".
const dotted = /^(?:\p{L}{1,3}\.)+\p{L}{1,3}$/u;

function mergeAbbreviations(tokens: Token[]): Token[] {
	if (!tokens.some((token, index) => token.text === '.' && index > 0 && !tokens[index - 1]!.ws && dotted.test(tokens[index - 1]!.text))) {
		return tokens;
	}

	const merged: Token[] = [];
	for (const token of tokens) {
		const previous = merged.at(-1);
		if (previous && token.text === '.' && !previous.ws && previous.end === token.start && dotted.test(previous.text)) {
			merged[merged.length - 1] = {
				text: previous.text + '.', start: previous.start, end: token.end, id: previous.id, ws: token.ws,
			};
		} else {
			merged.push({...token, id: merged.length});
		}
	}

	return merged;
}
