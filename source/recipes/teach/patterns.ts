import {CorruptFileError, readUserFile, UserError} from '../../errors.js';
import {tokenize} from '../../text/tokenize.js';

/** What one token of a token pattern asks of a token. */
type TokenTest = (word: string) => boolean;

/** How often a pattern token may repeat, as spaCy's `op`. */
type Repeat = '1' | '?' | '*' | '+' | '!';

type PatternToken = {
	readonly test: TokenTest;
	readonly repeat: Repeat;
	readonly text: string;
	/** Set when the test is only "the word in lower case is this": lets matching look patterns up by their first word. */
	readonly lower?: string;
};

/** A pattern from a patterns file, ready to match. */
export type Pattern = {
	readonly label: string;
	readonly tokens: readonly PatternToken[];
	/** The pattern in short ("staff nurse", "senior|junior? engineer"), shown with its proposals. */
	readonly source: string;
};

/** A match of a pattern on tokens `start` to `end` (inclusive). */
export type PatternMatch = {start: number; end: number; label: string; pattern: string};

const numberLike = /^[+-]?(?:\d[\d,.]*|\d*\.\d+)%?$/u;
const punctuation = /^[\p{P}\p{S}]+$/u;

/** Token attributes inkling understands, as spaCy names them (any case). */
const attributes: Record<string, (word: string) => string | boolean> = {
	orth: word => word,
	text: word => word,
	lower: word => word.toLowerCase(),
	// No lemmatizer: the lower-case form stands in for the lemma.
	lemma: word => word.toLowerCase(),
	norm: word => word.toLowerCase(),
	length: word => String([...word].length),
	is_alpha: word => /^\p{L}+$/u.test(word),
	is_ascii: word => [...word].every(character => character.codePointAt(0)! < 0x80),
	is_digit: word => /^\p{Nd}+$/u.test(word),
	is_lower: word => word === word.toLowerCase() && word !== word.toUpperCase(),
	is_upper: word => word === word.toUpperCase() && word !== word.toLowerCase(),
	is_title: word => /^\p{Lu}[\p{Ll}\p{Lt}]*$/u.test(word),
	is_punct: word => punctuation.test(word),
	like_num: word => numberLike.test(word),
	shape: word => word.replaceAll(/\p{Lu}/gu, 'X').replaceAll(/\p{Ll}/gu, 'x').replaceAll(/\p{Nd}/gu, 'd'),
};

function valueTest(read: (word: string) => string | boolean, expected: unknown, where: string): TokenTest {
	if (typeof expected === 'string' || typeof expected === 'boolean' || typeof expected === 'number') {
		const wanted = typeof expected === 'number' ? String(expected) : expected;
		return word => read(word) === wanted;
	}

	if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
		const tests: TokenTest[] = [];
		for (const [operator, argument] of Object.entries(expected as Record<string, unknown>)) {
			switch (operator.toUpperCase()) {
				case 'IN':
				case 'NOT_IN': {
					if (!Array.isArray(argument)) {
						throw new UserError(`${where}: ${operator} takes a list`);
					}

					const set = new Set(argument.map(String));
					const inside = (word: string) => set.has(String(read(word)));
					tests.push(operator.toUpperCase() === 'IN' ? inside : word => !inside(word));
					break;
				}

				case 'REGEX': {
					let regex: RegExp;
					try {
						regex = new RegExp(String(argument), 'u');
					} catch (error) {
						throw new UserError(`${where}: bad REGEX (${(error as Error).message})`);
					}

					tests.push(word => regex.test(String(read(word))));
					break;
				}

				default: {
					throw new UserError(`${where}: unknown operator ${operator} (inkling knows IN, NOT_IN and REGEX)`);
				}
			}
		}

		return word => tests.every(test => test(word));
	}

	throw new UserError(`${where}: cannot match ${JSON.stringify(expected)}`);
}

function tokenPattern(value: unknown, where: string): PatternToken {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new UserError(`${where}: each token of a pattern must be an object like {"lower": "nurse"}`);
	}

	const tests: TokenTest[] = [];
	const shown: string[] = [];
	let repeat: Repeat = '1';
	for (const [name, expected] of Object.entries(value as Record<string, unknown>)) {
		const key = name.toLowerCase();
		if (key === 'op') {
			if (!['?', '*', '+', '!', '1'].includes(String(expected))) {
				throw new UserError(`${where}: "OP" must be one of ? * + ! (got ${JSON.stringify(expected)})`);
			}

			repeat = String(expected) as Repeat;
			continue;
		}

		const read = attributes[key];
		if (!read) {
			throw new UserError(`${where}: unknown token attribute "${name}" (inkling knows ${Object.keys(attributes).join(', ')}, OP)`);
		}

		tests.push(valueTest(read, expected, where));
		shown.push(describe(key, expected));
	}

	const text = (shown.join('&') || '*') + (repeat === '1' ? '' : repeat);
	const entries = Object.entries(value as Record<string, unknown>).filter(([name]) => name.toLowerCase() !== 'op');
	const [name, expected] = entries[0] ?? [];
	const lower = entries.length === 1 && name!.toLowerCase() === 'lower' && typeof expected === 'string' ? expected : undefined;
	return {
		test: word => tests.every(test => test(word)), repeat, text: repeat === '!' ? `!${shown.join('&')}` : text, ...(lower === undefined ? {} : {lower}),
	};
}

/** One token test in short: the word itself, words joined by |, or the attribute. */
function describe(key: string, expected: unknown): string {
	if (typeof expected === 'string' && ['orth', 'text', 'lower', 'lemma', 'norm'].includes(key)) {
		return expected;
	}

	const list = (expected as {IN?: unknown; in?: unknown} | undefined)?.IN ?? (expected as {in?: unknown} | undefined)?.in;
	if (Array.isArray(list)) {
		return list.map(String).join('|');
	}

	return expected === true ? `[${key}]` : `[${key}=${JSON.stringify(expected)}]`;
}

/** A phrase matches its tokens, case-insensitively. */
function phrasePattern(phrase: string): PatternToken[] {
	return tokenize(phrase).map(token => {
		const lower = token.text.toLowerCase();
		return {
			test: (word: string) => word.toLowerCase() === lower, repeat: '1' as const, text: token.text, lower,
		};
	});
}

/**
 * Read a patterns file: JSONL lines of Prodigy's `{"label", "pattern"}`,
 * where the pattern is a phrase or a list of token objects (spaCy Matcher
 * attributes, with `OP`), or plain lines of phrases for `defaultLabel`.
 */
export function readPatterns(file: string, defaultLabel?: string): Pattern[] {
	const content = readUserFile(file, 'no such file. Give a JSONL file of {"label": ..., "pattern": ...} lines, or a text file of phrases.').toString('utf8');
	const patterns: Pattern[] = [];
	for (const [index, raw] of content.split('\n').entries()) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) {
			continue;
		}

		const where = `${file}:${index + 1}`;
		if (!line.startsWith('{')) {
			if (!defaultLabel) {
				throw new CorruptFileError(file, index + 1, 'a phrase line needs one label to go with', 'Give one label with -l, or write the line as {"label": "JOB_TITLE", "pattern": "staff nurse"}');
			}

			patterns.push({label: defaultLabel, tokens: phrasePattern(line), source: line});
			continue;
		}

		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (error) {
			throw new CorruptFileError(file, index + 1, `not valid JSON (${(error as Error).message})`, 'Fix or remove the line');
		}

		const record = value as {label?: unknown; pattern?: unknown};
		if (typeof record.label !== 'string' || record.label === '') {
			throw new CorruptFileError(file, index + 1, 'a pattern needs a "label"', 'Add "label": "JOB_TITLE" (or the label it proposes)');
		}

		let tokens: PatternToken[];
		if (typeof record.pattern === 'string') {
			tokens = phrasePattern(record.pattern);
		} else if (Array.isArray(record.pattern)) {
			tokens = record.pattern.map((token, position) => tokenPattern(token, `${where}, token ${position + 1}`));
		} else {
			throw new CorruptFileError(file, index + 1, '"pattern" must be a phrase or a list of token objects', 'For example "pattern": [{"lower": "staff"}, {"lower": "nurse"}]');
		}

		if (tokens.every(token => token.repeat === '?' || token.repeat === '*')) {
			throw new CorruptFileError(file, index + 1, 'the pattern can match no tokens', 'Give it at least one token that must be there');
		}

		patterns.push({label: record.label, tokens, source: tokens.map(token => token.text).join(' ')});
	}

	return patterns;
}

/** The token counts after which `tokens[from..]` matches `words` starting at `position` (every way it can). */
function ends(tokens: readonly PatternToken[], from: number, words: readonly string[], position: number, found: Set<number>): void {
	if (from === tokens.length) {
		found.add(position);
		return;
	}

	const token = tokens[from]!;
	switch (token.repeat) {
		case '1': {
			if (position < words.length && token.test(words[position]!)) {
				ends(tokens, from + 1, words, position + 1, found);
			}

			break;
		}

		case '!': {
			if (position < words.length && !token.test(words[position]!)) {
				ends(tokens, from + 1, words, position + 1, found);
			}

			break;
		}

		case '?': {
			ends(tokens, from + 1, words, position, found);
			if (position < words.length && token.test(words[position]!)) {
				ends(tokens, from + 1, words, position + 1, found);
			}

			break;
		}

		case '*':
		case '+': {
			let next = position;
			if (token.repeat === '*') {
				ends(tokens, from + 1, words, next, found);
			}

			while (next < words.length && token.test(words[next]!)) {
				next++;
				ends(tokens, from + 1, words, next, found);
			}

			break;
		}
	}
}

type FirstWordIndex = {byFirstWord: Map<string, number[]>; anyStart: number[]};

/** Each list of patterns' index, made once: `matchPatterns` runs for every sentence teach reads. */
const firstWordIndexes = new WeakMap<readonly Pattern[], FirstWordIndex>();

/**
 * Patterns whose first token is one lower-case word, by that word, and the
 * others: a start then tries only the patterns that can begin there (in file order).
 */
function firstWordIndex(patterns: readonly Pattern[]): FirstWordIndex {
	let index = firstWordIndexes.get(patterns);
	if (!index) {
		index = {byFirstWord: new Map(), anyStart: []};
		for (const [position, pattern] of patterns.entries()) {
			const first = pattern.tokens[0];
			if (first?.repeat === '1' && first.lower !== undefined) {
				index.byFirstWord.set(first.lower, [...(index.byFirstWord.get(first.lower) ?? []), position]);
			} else {
				index.anyStart.push(position);
			}
		}

		firstWordIndexes.set(patterns, index);
	}

	return index;
}

/**
 * Where the patterns match the words: the longest match at each start, then
 * the longest matches that do not overlap (earlier first on a tie).
 */
export function matchPatterns(patterns: readonly Pattern[], words: readonly string[]): PatternMatch[] {
	const all: PatternMatch[] = [];
	const found = new Set<number>();
	const {byFirstWord, anyStart} = firstWordIndex(patterns);
	for (let start = 0; start < words.length; start++) {
		const listed = byFirstWord.size > 0 ? byFirstWord.get(words[start]!.toLowerCase()) : undefined;
		const tried = listed ? [...anyStart, ...listed].sort((a, b) => a - b) : anyStart;
		for (const index of tried) {
			const pattern = patterns[index]!;
			found.clear();
			ends(pattern.tokens, 0, words, start, found);
			const end = Math.max(...found) - 1;
			if (found.size > 0 && end >= start) {
				all.push({
					start, end, label: pattern.label, pattern: pattern.source,
				});
			}
		}
	}

	all.sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
	const kept: PatternMatch[] = [];
	for (const match of all) {
		if (kept.every(other => match.end < other.start || match.start > other.end)) {
			kept.push(match);
		}
	}

	return kept.sort((a, b) => a.start - b.start);
}
