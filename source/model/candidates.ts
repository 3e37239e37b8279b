/** A candidate span of a sentence: tokens `start` to `end`, both inclusive. */
export type Candidate = {readonly start: number; readonly end: number};

const punctuationOnly = /^[\p{P}\p{S}]+$/u;

/** Whether a token can begin or end an entity: punctuation and symbols alone cannot. */
export function canEdge(word: string): boolean {
	return !punctuationOnly.test(word);
}

/**
 * Every span of at most `maxTokens` tokens that neither starts nor ends with
 * a punctuation or symbol token, in order of start then end. A span may end
 * with punctuation glued to the word before it ("Corp.", "C$"), when
 * `glued[i]` says token i follows token i - 1 with no space between.
 */
export function candidates(words: readonly string[], maxTokens: number, glued?: readonly boolean[]): Candidate[] {
	const starts = words.map(word => canEdge(word));
	const ends = words.map((word, index) => starts[index]! || (index > 0 && glued?.[index] === true && starts[index - 1]!));
	const result: Candidate[] = [];
	for (let start = 0; start < words.length; start++) {
		if (!starts[start]) {
			continue;
		}

		const last = Math.min(words.length, start + maxTokens) - 1;
		for (let end = start; end <= last; end++) {
			if (ends[end]) {
				result.push({start, end});
			}
		}
	}

	return result;
}

/** For each token, whether it follows the one before with no space between. */
export function gluedTokens(tokens: ReadonlyArray<{start: number; end: number}>): boolean[] {
	return tokens.map((token, index) => index > 0 && tokens[index - 1]!.end === token.start);
}
