import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {matchPatterns, readPatterns} from '../../../source/recipes/teach/patterns.js';
import {tokenize} from '../../../source/text/tokenize.js';
import {temporaryFolder} from '../../_helpers/temp.js';

function patternsFile(t: Parameters<typeof temporaryFolder>[0], lines: string[]): string {
	const file = path.join(temporaryFolder(t), 'patterns.jsonl');
	fs.writeFileSync(file, lines.join('\n') + '\n');
	return file;
}

const words = (text: string) => tokenize(text).map(token => token.text);

test('phrase patterns match whole tokens, in any case', t => {
	const file = patternsFile(t, ['{"label": "JOB_TITLE", "pattern": "staff nurse"}']);
	const matches = matchPatterns(readPatterns(file), words('Staff Nurse wanted; staff nurses too.'));
	t.deepEqual(matches.map(match => [match.start, match.end, match.label]), [[0, 1, 'JOB_TITLE']]);
});

test('token patterns understand spaCy attributes, IN and OP, and the longest match wins', t => {
	const file = patternsFile(t, [
		'{"label": "JOB_TITLE", "pattern": [{"LOWER": {"IN": ["senior", "junior"]}, "OP": "?"}, {"lower": "software"}, {"lower": "engineer"}]}',
		'{"label": "JOB_TITLE", "pattern": [{"lower": "engineer"}]}',
		'{"label": "MONEY", "pattern": [{"orth": "£"}, {"like_num": true}]}',
	]);
	const text = words('A Senior Software Engineer paid £45,000 and an engineer.');
	const matches = matchPatterns(readPatterns(file), text);
	t.deepEqual(matches.map(match => [text.slice(match.start, match.end + 1).join(' '), match.label]), [
		['Senior Software Engineer', 'JOB_TITLE'],
		['£ 45,000', 'MONEY'],
		['engineer', 'JOB_TITLE'],
	]);
});

test('patterns looked up by their first word match as the others do, and a tie goes to the earlier line', t => {
	const file = patternsFile(t, [
		'{"label": "JOB_TITLE", "pattern": [{"LOWER": "ward"}, {"lower": "nurse"}]}',
		'{"label": "ROLE", "pattern": [{"is_title": true}, {"lower": "nurse"}]}',
		'{"label": "JOB_TITLE", "pattern": [{"lower": "Ward"}, {"lower": "sister"}]}',
		'{"label": "JOB_TITLE", "pattern": [{"lower": "night", "OP": "?"}, {"lower": "sister"}]}',
		'{"label": "OTHER", "pattern": "ward sister"}',
	]);
	const text = words('Ward Nurse and night sister, then a Ward Sister.');
	const matches = matchPatterns(readPatterns(file), text);
	// "Ward Nurse" is matched by the lookup (line 1) and the title-case pattern (line 2): the earlier line wins.
	// {"lower": "Ward"} never matches, as a lower-case form is never "Ward"; "Ward Sister" is the phrase's.
	t.deepEqual(matches.map(match => [text.slice(match.start, match.end + 1).join(' '), match.label]), [
		['Ward Nurse', 'JOB_TITLE'],
		['night sister', 'JOB_TITLE'],
		['Ward Sister', 'OTHER'],
	]);
});

test('plain lines are phrases of the one label given', t => {
	const file = patternsFile(t, ['# job titles', 'head of finance', '']);
	const [pattern] = readPatterns(file, 'JOB_TITLE');
	t.is(pattern?.label, 'JOB_TITLE');
	t.deepEqual(matchPatterns(readPatterns(file, 'JOB_TITLE'), words('Our Head of Finance leads.')).map(match => [match.start, match.end]), [[1, 3]]);
	const error = t.throws(() => readPatterns(file), {instanceOf: UserError});
	t.true(error.message.startsWith(`${file}:2: a phrase line needs one label`));
});

test('a bad pattern line is an error naming the file and line', t => {
	const file = patternsFile(t, ['{"label": "JOB_TITLE", "pattern": "nurse"}', '{"label": "JOB_TITLE", "pattern": [{"colour": "red"}]}']);
	const error = t.throws(() => readPatterns(file), {instanceOf: UserError});
	t.regex(error.message, /patterns\.jsonl:2, token 1: unknown token attribute "colour"/);
	const broken = patternsFile(t, ['{"label": "JOB_TITLE", "pattern": "nurse"', '']);
	const brokenError = t.throws(() => readPatterns(broken));
	t.regex(brokenError.message, /patterns\.jsonl:1: not valid JSON/);
	const missingError = t.throws(() => readPatterns(path.join(path.dirname(file), 'missing.jsonl')));
	t.regex(missingError.message, /missing\.jsonl: no such file/);
});

test('a pattern is shown in short with its proposals', t => {
	const file = patternsFile(t, [
		'{"label": "JOB_TITLE", "pattern": "Staff Nurse"}',
		'{"label": "JOB_TITLE", "pattern": [{"lower": {"IN": ["senior", "junior"]}, "OP": "?"}, {"is_title": true, "OP": "+"}, {"LOWER": "engineer"}]}',
	]);
	t.deepEqual(readPatterns(file).map(pattern => pattern.source), ['Staff Nurse', 'senior|junior? [is_title]+ engineer']);
});
