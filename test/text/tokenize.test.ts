import test, {type ExecutionContext} from 'ava';
import {tokenize} from '../../source/text/tokenize.js';
import {alignSpans} from '../../source/text/spans.js';
import {readJsonl, hasSharedDatasets, sharedDataset} from '../_helpers/temp.js';

// Tests that read ../shared/datasets run where it is (or INKLING_DATASETS points at it).
const withDatasets = hasSharedDatasets() ? test : test.skip;

function offsetsAreExact(t: ExecutionContext, text: string) {
	const tokens = tokenize(text);
	for (const token of tokens) {
		t.is(text.slice(token.start, token.end), token.text);
	}

	return tokens;
}

test('English text gives word and punctuation tokens with their offsets', t => {
	const text = 'Dr. Smith paid $3.50 for e-mail.';
	const tokens = offsetsAreExact(t, text);
	t.deepEqual(tokens.map(token => token.text), ['Dr.', 'Smith', 'paid', '$', '3.50', 'for', 'e', '-', 'mail', '.']);
	t.deepEqual(tokens.slice(0, 2).map(token => [token.start, token.end, token.ws]), [[0, 3, true], [4, 9, true]]);
	t.deepEqual(tokens.map(token => token.id), tokens.map((_, index) => index));
});

test('English contractions, handles, abbreviations and ellipses split as spaCy splits them', t => {
	const text = 'Uber’s boss can\'t say @ev and Trump Jr. won’t... Google I.P.O.\'s $120M Valley:Net';
	t.deepEqual(offsetsAreExact(t, text).map(token => token.text), ['Uber', '’s', 'boss', 'ca', 'n\'t', 'say', '@ev', 'and', 'Trump', 'Jr.', 'wo', 'n’t', '...', 'Google', 'I.P.O.', '\'s', '$', '120', 'M', 'Valley', ':', 'Net']);
});

withDatasets('Prodigy\'s tokens of the news headlines: the same offsets for all but texts with extra spaces, & or ´ (reads ../shared/datasets)', t => {
	const records = readJsonl<{text: string; tokens: Array<{start: number; end: number}>}>(sharedDataset('prodigy_news_headlines', 'annotated.jsonl'));
	const differ = records.filter(record => JSON.stringify(tokenize(record.text).map(token => [token.start, token.end])) !== JSON.stringify(record.tokens.map(token => [token.start, token.end])));
	// SpaCy makes a token of extra whitespace, keeps "AT&T" and "She&#8217;s" whole, and "MBA´s" (an acute accent, not an apostrophe); inkling does none of these.
	t.true(differ.every(record => /\s\s|\s$|&|´/u.test(record.text)), differ.map(record => record.text).join('\n'));
	t.true(differ.length <= 5, `${differ.length} of ${records.length} differ`);
});

withDatasets('every gold span of CoNLL-2003 test lines up with token boundaries (reads ../shared/datasets)', t => {
	const records = readJsonl<{text: string; spans: Array<{start: number; end: number; label: string}>}>(sharedDataset('conll2003_en', 'test.jsonl'));
	let spans = 0;
	let misaligned = 0;
	for (const record of records) {
		const result = alignSpans(tokenize(record.text), record.spans);
		spans += record.spans.length;
		misaligned += result.misaligned.length;
	}

	t.is(spans, 5648);
	t.is(misaligned, 0);
});

test('Chinese without spaces splits into words', t => {
	const text = '我们在北京大学学习中文。';
	const tokens = offsetsAreExact(t, text);
	t.true(tokens.length >= 5);
	t.is(tokens.map(token => token.text).join(''), text);
	t.true(tokens.some(token => token.text === '北京'));
	t.is(tokens.at(-1)!.text, '。');
});

test('emoji and other surrogate pairs stay whole and offsets count UTF-16 units', t => {
	const text = 'I ❤️ 👩‍👩‍👧 pizza 🍕 and 𝒳 math';
	const tokens = offsetsAreExact(t, text);
	const texts = new Set(tokens.map(token => token.text));
	t.true(texts.has('👩‍👩‍👧'));
	t.true(texts.has('🍕'));
	t.true(texts.has('pizza'));
	const pizza = tokens.find(token => token.text === 'pizza')!;
	t.is(pizza.start, text.indexOf('pizza'));
	for (const token of tokens) {
		const first = token.text.charCodeAt(0);
		t.false(first >= 0xDC_00 && first <= 0xDF_FF, `token "${token.text}" starts inside a surrogate pair`);
	}
});

test('CRLF and tabs are whitespace, not tokens', t => {
	const text = 'alpha\tbeta\r\ngamma \t delta\n';
	const tokens = offsetsAreExact(t, text);
	t.deepEqual(tokens.map(token => [token.text, token.start, token.end]), [['alpha', 0, 5], ['beta', 6, 10], ['gamma', 12, 17], ['delta', 20, 25]]);
	t.true(tokens.every(token => token.ws));
});

test('a 1 MB single-line text tokenizes completely with exact offsets', t => {
	const words = ['alpha', 'beta,', 'gamma.', '(delta)', 'épée', '北京'];
	const parts: string[] = [];
	let length = 0;
	while (length < 1_000_000) {
		const word = words[parts.length % words.length]!;
		parts.push(word);
		length += word.length + 1;
	}

	const text = parts.join(' ');
	const tokens = tokenize(text);
	// A word with punctuation is the word plus one token per mark.
	const tokensPerWord: Record<string, number> = {'beta,': 2, 'gamma.': 2, '(delta)': 3};
	t.is(tokens.length, parts.reduce((sum, word) => sum + (tokensPerWord[word] ?? 1), 0));
	let previousEnd = 0;
	const wrong = tokens.find(token => {
		const bad = text.slice(token.start, token.end) !== token.text || token.start < previousEnd;
		previousEnd = token.end;
		return bad;
	});
	t.is(wrong, undefined);

	t.is(tokens.at(-1)!.end, text.length);
});

test('a 1 MB line of Chinese without any space tokenizes without losing a character', t => {
	const sentence = '我们在北京大学学习中文，她在上海工作';
	const text = sentence.repeat(Math.ceil(1_000_000 / sentence.length));
	const tokens = tokenize(text);
	t.is(tokens.map(token => token.text).join(''), text);
	let offset = 0;
	const gap = tokens.find(token => {
		const bad = token.start !== offset;
		offset = token.end;
		return bad;
	});
	t.is(gap, undefined);
	t.is(offset, text.length);
});
