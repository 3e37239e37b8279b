/** The part of a span that offsets are about: UTF-16 indices, end exclusive. */
export type Offsets = {
	readonly start: number;
	readonly end: number;
};

/** A token boundary table: only offsets are needed to map spans. */
export type TokenOffsets = readonly Offsets[];

/** Index of the token whose `edge` ("start" or "end") is exactly `offset`, or -1. Tokens are sorted and do not overlap. */
function tokenWithEdgeAt(tokens: TokenOffsets, edge: 'start' | 'end', offset: number): number {
	let low = 0;
	let high = tokens.length - 1;
	while (low <= high) {
		const middle = (low + high) >>> 1;
		const value = tokens[middle]![edge];
		if (value === offset) {
			return middle;
		}

		if (value < offset) {
			low = middle + 1;
		} else {
			high = middle - 1;
		}
	}

	return -1;
}

/**
 * The tokens a span covers, as Prodigy's inclusive `token_start`/`token_end`,
 * or undefined when a span edge falls inside a token or between tokens' whitespace.
 */
export function spanToTokens(tokens: TokenOffsets, span: Offsets): {token_start: number; token_end: number} | undefined {
	const first = tokenWithEdgeAt(tokens, 'start', span.start);
	const last = tokenWithEdgeAt(tokens, 'end', span.end);
	if (first === -1 || last === -1 || last < first) {
		return undefined;
	}

	return {token_start: first, token_end: last};
}

/** The character offsets of tokens `tokenStart` to `tokenEnd`, both inclusive. */
export function tokensToSpan(tokens: TokenOffsets, tokenStart: number, tokenEnd: number): Offsets & {token_start: number; token_end: number} {
	const first = tokens[tokenStart];
	const last = tokens[tokenEnd];
	if (!first || !last || tokenEnd < tokenStart) {
		throw new RangeError(`No tokens ${tokenStart}..${tokenEnd} in ${tokens.length} tokens`);
	}

	return {
		start: first.start, end: last.end, token_start: tokenStart, token_end: tokenEnd,
	};
}

/** Split spans into those that align with token boundaries (with their token indices) and those that do not. */
export function alignSpans<S extends Offsets>(tokens: TokenOffsets, spans: readonly S[]): {
	aligned: Array<S & {token_start: number; token_end: number}>;
	misaligned: S[];
} {
	const aligned: Array<S & {token_start: number; token_end: number}> = [];
	const misaligned: S[] = [];
	for (const span of spans) {
		const indices = spanToTokens(tokens, span);
		if (indices) {
			aligned.push({...span, ...indices});
		} else {
			misaligned.push(span);
		}
	}

	return {aligned, misaligned};
}

/**
 * Cut tokens where a span edge falls inside one, so that every span aligns.
 * Used when exporting to token formats (CoNLL), where a span must be whole tokens.
 */
export function cutTokensAtSpans<T extends Offsets & {readonly text: string}>(
	text: string,
	tokens: readonly T[],
	spans: readonly Offsets[],
): Array<{text: string; start: number; end: number}> {
	const cuts = [...new Set(spans.flatMap(span => [span.start, span.end]))].sort((a, b) => a - b);
	const result: Array<{text: string; start: number; end: number}> = [];
	// Add the non-blank part of text[start, end) as a token.
	const push = (start: number, end: number) => {
		const piece = text.slice(start, end);
		const trimmedStart = start + (piece.length - piece.trimStart().length);
		const trimmedEnd = end - (piece.length - piece.trimEnd().length);
		if (trimmedEnd > trimmedStart) {
			result.push({text: text.slice(trimmedStart, trimmedEnd), start: trimmedStart, end: trimmedEnd});
		}
	};

	// Add text[start, end) cut at every span edge inside it.
	let cutIndex = 0;
	const pushCut = (start: number, end: number) => {
		while (cutIndex < cuts.length && cuts[cutIndex]! <= start) {
			cutIndex++;
		}

		let from = start;
		while (cutIndex < cuts.length && cuts[cutIndex]! < end) {
			push(from, cuts[cutIndex]!);
			from = cuts[cutIndex]!;
			cutIndex++;
		}

		push(from, end);
	};

	// Text between tokens that a span covers (a character the tokenizer
	// dropped) becomes a token of its own.
	let previous = 0;
	for (const token of tokens) {
		if (token.start > previous) {
			pushCut(previous, token.start);
		}

		pushCut(token.start, token.end);
		previous = token.end;
	}

	if (previous < text.length) {
		pushCut(previous, text.length);
	}

	return result;
}
