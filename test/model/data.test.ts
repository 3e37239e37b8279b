import test from 'ava';
import {maxSentenceTokens, mergeAnswers, textPieces} from '../../source/model/data.js';

test('merging answers keeps gold and yes/no answers, and leaves out ignores and eval-ab judgements', t => {
	const merged = mergeAnswers([
		{text: 'Anna works', spans: [{start: 0, end: 4, label: 'PER'}], answer: 'accept'},
		{
			text: 'Anna works', spans: [{start: 5, end: 10, label: 'PER'}], answer: 'reject', _view_id: 'ner',
		},
		{text: 'Bo works', spans: [], answer: 'ignore'},
		{
			text: 'Cy works', spans: [], answer: 'accept', _view_id: 'eval-ab',
		},
	]);
	t.is(merged.length, 1);
	t.deepEqual(merged[0]!.gold, [{start: 0, end: 4, label: 'PER'}]);
	t.deepEqual(merged[0]!.rejected, [{start: 5, end: 10, label: 'PER'}]);
});

test('a long line without a full stop is read in pieces of at most maxSentenceTokens tokens that lie at their offsets and cover every word', t => {
	const words = ['Staff', 'Nurse', 'wanted', 'in', 'Leeds', 'and', 'York', 'for', 'nights'];
	const line = Array.from({length: 60_000}, (_, i) => words[i % words.length]).join(' ');
	const pieces = [...textPieces(line)];
	t.true(pieces.length > 60_000 / maxSentenceTokens);
	let covered = 0;
	for (const piece of pieces) {
		t.true(piece.tokens.length <= maxSentenceTokens);
		t.is(line.slice(piece.start, piece.end), piece.text);
		covered += piece.tokens.length;
	}

	t.is(covered, 60_000);
	t.is(pieces.map(piece => piece.text).join(' '), line);
});

test('a long text without spaces is cut between characters, never inside one', t => {
	const line = '看護師募集😀'.repeat(8000);
	for (const piece of textPieces(line)) {
		t.is(line.slice(piece.start, piece.end), piece.text);
		t.notRegex(piece.text, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
	}
});

