import type {Offsets} from './spans.js';

/** A sentence of a document: its text and where it sits in the document. */
export type Sentence = {
	readonly text: string;
	readonly start: number;
	readonly end: number;
};

// Intl.Segmenter splits after every "Dr." or "St." (it has no abbreviation
// list, even with `-u-ss-standard`): a split after one of these is undone.
const titles = new Set([
	'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'mt', 'sr', 'jr', 'rev', 'hon', 'gen', 'col', 'lt', 'sgt', 'capt', 'cpt', 'maj', 'gov', 'sen', 'rep', 'pres', 'fr', 'no', 'nos', 'fig', 'figs', 'vs', 'cf', 'approx', 'dept', 'e.g', 'i.e', 'ca', 'vol', 'pp', 'art', 'sec', 'ch', 'op',
]);
// These end sentences as often as not: undo the split only before a lower-case word.
const sometimes = new Set(['inc', 'ltd', 'co', 'corp', 'etc', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'est', 'al']);

const lineBreak = /\r\n|[\n\r\u2028\u2029\v\f\u0085]/gu;
const lastWord = /(?:^|[\s([{"'“‘])([\p{L}.]+)\.\s*$/u;
const pieceLength = 4096;

const sentenceSegmenter = new Intl.Segmenter('en', {granularity: 'sentence'});

/** Whether a split after `before` is wrong: `before` ends with an abbreviation or an initial. */
function isFalseSplit(before: string, after: string): boolean {
	const match = lastWord.exec(before);
	if (!match) {
		return false;
	}

	const word = match[1]!.toLowerCase();
	const nextStartsLower = /^\s*\p{Ll}/u.test(after);
	if (titles.has(word)) {
		return true;
	}

	// An initial ("J. Smith"), or letters with dots ("U.S.", "Ph.D.")
	if (/^\p{Lu}$/u.test(match[1]!) || /^(?:\p{L}\.)+\p{L}$/u.test(match[1]!)) {
		return nextStartsLower || (/^\s*\p{Lu}/u.test(after) && /^\p{Lu}$/u.test(match[1]!));
	}

	return sometimes.has(word) && nextStartsLower;
}

/**
 * Where to end a slice of about `length` characters of `text` from `from`:
 * just after its last space, or where there is none, at `length` but never
 * between the two halves of a character outside the BMP.
 */
export function cutLong(text: string, from: number, length: number): number {
	const to = from + length;
	if (to >= text.length) {
		return text.length;
	}

	const space = text.lastIndexOf(' ', to);
	if (space > from) {
		return space + 1;
	}

	const last = text.charCodeAt(to - 1);
	return last >= 0xD8_00 && last <= 0xDB_FF ? to - 1 : to;
}

/** Sentence boundaries within one line, as offsets into the line. */
function lineSentences(line: string): Offsets[] {
	const pieces: Offsets[] = [];
	// The sentence segmenter slows down on very long strings too: cut long
	// lines into pieces at a space first.
	for (let from = 0; from < line.length;) {
		const to = cutLong(line, from, pieceLength);

		const segments = [...sentenceSegmenter.segment(line.slice(from, to))];
		// The piece's last sentence may go on past the cut: read it again
		// with the next piece, unless it is the only one.
		const keep = to < line.length && segments.length > 1 ? segments.length - 1 : segments.length;
		for (const {segment, index} of segments.slice(0, keep)) {
			pieces.push({start: from + index, end: from + index + segment.length});
		}

		from = keep < segments.length ? from + segments[keep]!.index : to;
	}

	const merged: Offsets[] = [];
	for (const piece of pieces) {
		const previous = merged.at(-1);
		if (previous && isFalseSplit(line.slice(previous.start, previous.end), line.slice(piece.start, piece.end))) {
			merged[merged.length - 1] = {start: previous.start, end: piece.end};
		} else {
			merged.push(piece);
		}
	}

	return merged;
}

/**
 * Split a document into sentences: `Intl.Segmenter` sentences, plus a split at
 * every line break, less the splits after abbreviations. Sentences are trimmed
 * of whitespace; empty ones are dropped. Where a span would be cut by a split,
 * the sentences on both sides stay together.
 */
export function splitSentences(text: string, spans: readonly Offsets[] = []): Sentence[] {
	const bounds: Offsets[] = [];
	let lineStart = 0;
	const addLine = (end: number) => {
		for (const sentence of lineSentences(text.slice(lineStart, end))) {
			bounds.push({start: lineStart + sentence.start, end: lineStart + sentence.end});
		}
	};

	for (const match of text.matchAll(lineBreak)) {
		addLine(match.index);
		lineStart = match.index + match[0].length;
	}

	addLine(text.length);

	const trimmed: Offsets[] = [];
	for (const {start, end} of bounds) {
		const piece = text.slice(start, end);
		const trimStart = start + (piece.length - piece.trimStart().length);
		const trimEnd = end - (piece.length - piece.trimEnd().length);
		if (trimEnd > trimStart) {
			trimmed.push({start: trimStart, end: trimEnd});
		}
	}

	const joined = joinAcrossSpans(trimmed, spans);
	return joined.map(({start, end}) => ({text: text.slice(start, end), start, end}));
}

/** Merge neighbouring sentences wherever a span starts in one and ends in a later one. */
function joinAcrossSpans(sentences: Offsets[], spans: readonly Offsets[]): Offsets[] {
	if (spans.length === 0) {
		return sentences;
	}

	const sorted = [...spans].sort((a, b) => a.start - b.start);
	const result: Offsets[] = [];
	let spanIndex = 0;
	let reach = -1; // The furthest end of a span that started in the current sentence group
	for (const sentence of sentences) {
		const previous = result.at(-1);
		if (previous && reach > sentence.start) {
			result[result.length - 1] = {start: previous.start, end: sentence.end};
		} else {
			result.push(sentence);
			reach = -1;
		}

		while (spanIndex < sorted.length && sorted[spanIndex]!.start < sentence.end) {
			reach = Math.max(reach, sorted[spanIndex]!.end);
			spanIndex++;
		}
	}

	return result;
}

/** The spans that lie inside a sentence, with offsets relative to the sentence. */
export function spansInSentence<S extends Offsets>(sentence: Offsets, spans: readonly S[]): S[] {
	return spans
		.filter(span => span.start >= sentence.start && span.end <= sentence.end)
		.map(span => ({...span, start: span.start - sentence.start, end: span.end - sentence.start}));
}

/** Spans found in a sentence, mapped back to the document's offsets. */
export function spansToDocument<S extends Offsets>(sentence: Offsets, spans: readonly S[]): S[] {
	return spans.map(span => ({...span, start: span.start + sentence.start, end: span.end + sentence.start}));
}
