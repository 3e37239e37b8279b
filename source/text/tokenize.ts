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
	// The token being read: its text and start, written when the next segment says whether whitespace follows.
	let pendingText: string | undefined;
	let pendingStart = 0;
	for (let from = 0; from < text.length;) {
		const to = pieceEnd(text, from);
		for (const {segment, index} of segmenter.segment(from === 0 && to === text.length ? text : text.slice(from, to))) {
			const space = isSpace(segment);
			if (pendingText !== undefined) {
				tokens.push({
					text: pendingText, start: pendingStart, end: pendingStart + pendingText.length, id: tokens.length, ws: space,
				});
				pendingText = undefined;
			}

			if (!space) {
				pendingText = segment;
				pendingStart = from + index;
			}
		}

		from = to;
	}

	if (pendingText !== undefined) {
		tokens.push({
			text: pendingText, start: pendingStart, end: pendingStart + pendingText.length, id: tokens.length, ws: false,
		});
	}

	const merged = mergeAbbreviations(tokens);
	return locale.toLowerCase().startsWith('en') ? englishExceptions(merged, text) : merged;
}

/** Whether a segment is all whitespace (the word segmenter keeps whitespace runs apart from other text). */
function isSpace(segment: string): boolean {
	const code = segment.charCodeAt(0);
	if (code === 0x20) {
		return segment.length === 1 || segment.trim() === '';
	}

	// Most segments start with a letter, a digit or punctuation, none of which is whitespace.
	return code > 0x20 && code < 0x7F ? false : whitespace.test(segment[0]!) && segment.trim() === '';
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

// English contractions split as spaCy (and so Prodigy) splits them: "Uber’s"
// is "Uber" + "’s", "can't" is "ca" + "n't". Straight or curly apostrophes.
const clitic = /(?:n['’]t|['’](?:s|re|ve|ll|d|m))$/iu;
// Abbreviations that keep their full stop: "Jr.", "Dr.", "Inc.".
const abbreviations = new Set(['mr', 'mrs', 'ms', 'dr', 'jr', 'sr', 'st', 'mt', 'inc', 'corp', 'co', 'ltd', 'vs', 'etc', 'gov', 'sen', 'rep', 'gen', 'lt', 'col', 'capt', 'prof', 'jan', 'feb', 'mar', 'apr', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);

function englishExceptions(tokens: Token[], text: string): Token[] {
	const result: Token[] = [];
	const push = (token: Token | Omit<Token, 'id'>) => {
		// A token already numbered for its place is kept as it is (tokens are fresh objects, made by `tokenize`).
		result.push('id' in token && token.id === result.length ? token : {...token, id: result.length});
	};

	for (const token of tokens) {
		const previous = result.at(-1);
		// "@handle" and "#tag" stay one token when the sign starts a word.
		if (previous && (previous.text === '@' || previous.text === '#') && !previous.ws && previous.end === token.start && /^\p{L}/u.test(token.text)
			&& (previous.start === 0 || /\s/u.test(text[previous.start - 1]!))) {
			result[result.length - 1] = {
				...previous, text: previous.text + token.text, end: token.end, ws: token.ws,
			};
			continue;
		}

		// An ellipsis is one token; so is "'s" after a dotted abbreviation ("I.P.O.'s").
		const joined = previous && !previous.ws && previous.end === token.start;
		if (joined && ((token.text === '.' && /^\.+$/u.test(previous.text)) || ((previous.text === '\'' || previous.text === '’') && token.text.length === 1 && /^s$/iu.test(token.text) && result.at(-2)?.text.endsWith('.') && result.at(-2)!.end === previous.start))) {
			result[result.length - 1] = {
				...previous, text: previous.text + token.text, end: token.end, ws: token.ws,
			};
			continue;
		}

		if (joined && token.text === '.' && abbreviations.has(previous.text.toLowerCase())) {
			result[result.length - 1] = {
				...previous, text: previous.text + '.', end: token.end, ws: token.ws,
			};
			continue;
		}

		// A colon between words ("Valley:Net") and a unit after an amount ("$120M") are tokens of their own.
		// (Each regex runs only when a cheap test says it could match: most tokens are plain words.)
		const colon = token.text.includes(':') ? /^(\p{L}+):(\p{L}+)$/u.exec(token.text) : undefined;
		const amount = previous && previous.text.length <= 2 && /^\p{Sc}$/u.test(previous.text) ? /^(\d+(?:\.\d+)?)(m)$/iu.exec(token.text) : undefined;
		const parts = colon ? [colon[1]!, ':', colon[2]!] : (amount ? [amount[1]!, amount[2]!] : undefined);
		if (parts) {
			let {start} = token;
			for (const [index, part] of parts.entries()) {
				push({
					text: part, start, end: start + part.length, ws: index === parts.length - 1 ? token.ws : false,
				});
				start += part.length;
			}

			continue;
		}

		const match = token.text.includes('\'') || token.text.includes('’') ? clitic.exec(token.text) : undefined;
		if (match && match.index > 0) {
			const cut = token.start + match.index;
			push({
				text: token.text.slice(0, match.index), start: token.start, end: cut, ws: false,
			});
			push({
				text: match[0], start: cut, end: token.end, ws: token.ws,
			});
			continue;
		}

		push(token);
	}

	return result;
}
