import test from 'ava';
import {tokenize} from '../../source/text/tokenize.js';
import {
	alignSpans, cutTokensAtSpans, spanToTokens, tokensToSpan,
} from '../../source/text/spans.js';

const text = 'Senior Software Engineer at Oracle India';
const tokens = tokenize(text);

test('a span on token edges maps to inclusive token indices and back', t => {
	const span = {start: 0, end: 24};
	t.deepEqual(spanToTokens(tokens, span), {token_start: 0, token_end: 2});
	t.deepEqual(tokensToSpan(tokens, 0, 2), {
		start: 0, end: 24, token_start: 0, token_end: 2,
	});
	t.deepEqual(tokensToSpan(tokens, 4, 4), {
		start: 28, end: 34, token_start: 4, token_end: 4,
	});
});

test('a span that cuts a token does not align', t => {
	t.is(spanToTokens(tokens, {start: 0, end: 3}), undefined);
	t.is(spanToTokens(tokens, {start: 6, end: 15}), undefined); // Starts on the space
	const {aligned, misaligned} = alignSpans(tokens, [{start: 28, end: 40, label: 'ORG'}, {start: 1, end: 6, label: 'X'}]);
	t.deepEqual(aligned, [{
		start: 28, end: 40, label: 'ORG', token_start: 4, token_end: 5,
	}]);
	t.deepEqual(misaligned, [{start: 1, end: 6, label: 'X'}]);
});

test('tokens are cut where a span edge falls inside one', t => {
	const pieces = cutTokensAtSpans('JavaScript developer', tokenize('JavaScript developer'), [{start: 0, end: 4}]);
	t.deepEqual(pieces.map(piece => [piece.text, piece.start, piece.end]), [['Java', 0, 4], ['Script', 4, 10], ['developer', 11, 20]]);
});

test('asking for tokens that do not exist is a range error', t => {
	t.throws(() => tokensToSpan(tokens, 3, 9), {instanceOf: RangeError});
});
