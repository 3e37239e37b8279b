import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {readTasks, writeTasks, detectFormat} from '../../source/store/formats.js';
import {readConll} from '../../source/store/conll.js';
import {temporaryFolder} from '../_helpers/temp.js';

function write(t: ExecutionContext, name: string, content: string): string {
	const file = path.join(temporaryFolder(t), name);
	fs.writeFileSync(file, content);
	return file;
}

test('CoNLL BIO sentences become texts with spans on their tokens', t => {
	const records = [...readConll('-DOCSTART- -X- O O\n\nEU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\n\nPeter B-PER\nBlackburn I-PER\n')];
	t.is(records.length, 2);
	t.is(records[0]!.task!.text, 'EU rejects German call');
	t.deepEqual(records[0]!.task!.spans, [
		{
			start: 0, end: 2, token_start: 0, token_end: 0, label: 'ORG',
		},
		{
			start: 11, end: 17, token_start: 2, token_end: 2, label: 'MISC',
		},
	]);
	t.deepEqual(records[1]!.task!.spans!.map(span => [span.start, span.end, span.label]), [[0, 15, 'PER']]);
});

test('IOB1 and BIOES tags read the same entities as BIO', t => {
	const iob1 = [...readConll('John I-PER\nSmith I-PER\nsaw O\nAcme I-ORG\n')][0]!.task!;
	t.deepEqual(iob1.spans!.map(span => [span.start, span.end, span.label]), [[0, 10, 'PER'], [15, 19, 'ORG']]);
	const bioes = [...readConll('New B-LOC\nYork E-LOC\nand O\nParis S-LOC\n')][0]!.task!;
	t.deepEqual(bioes.spans!.map(span => [span.start, span.end, span.label]), [[0, 8, 'LOC'], [13, 18, 'LOC']]);
});

test('a "# text =" line keeps the original spacing', t => {
	const [record] = [...readConll('# text = BRUSSELS 1996-08-22\nBRUSSELS\tB-LOC\n1996\tO\n-\tO\n08\tO\n-\tO\n22\tO\n')];
	t.is(record!.task!.text, 'BRUSSELS 1996-08-22');
	t.deepEqual(record!.task!.tokens!.map(token => [token.start, token.end]), [[0, 8], [9, 13], [13, 14], [14, 16], [16, 17], [17, 19]]);
});

test('writing CoNLL adds a "# text =" line only when spaces would not give the text back', t => {
	const plain = writeTasks([{text: 'EU rejects it', spans: [{start: 0, end: 2, label: 'ORG'}]}], 'conll').text;
	t.is(plain, 'EU\tB-ORG\nrejects\tO\nit\tO\n\n');
	const spaced = writeTasks([{text: 'Java-developer', spans: [{start: 0, end: 4, label: 'SKILL'}]}], 'conll').text;
	t.is(spaced, '# text = Java-developer\nJava\tB-SKILL\n-\tO\ndeveloper\tO\n\n');
});

test('overlapping spans cannot be written as BIO and are counted', t => {
	const result = writeTasks([{text: 'senior staff nurse', spans: [{start: 0, end: 18, label: 'A'}, {start: 7, end: 18, label: 'B'}]}], 'conll');
	t.is(result.dropped, 1);
	t.is(result.text, 'senior\tB-A\nstaff\tI-A\nnurse\tI-A\n\n');
});

test('spaCy output is [text, {entities}] per line', t => {
	const {text} = writeTasks([{text: 'Staff nurse', spans: [{start: 0, end: 11, label: 'JOB'}], answer: 'accept'}], 'spacy');
	t.is(text, '["Staff nurse",{"entities":[[0,11,"JOB"]]}]\n');
});

test('doccano JSONL is read into spans and keeps its id in meta', t => {
	const file = write(t, 'doccano.jsonl', '{"id": 7, "text": "Nurse in Leeds", "label": [[0, 5, "JOB"], [9, 14, "LOC"]]}\n');
	const {tasks, format} = readTasks(file);
	t.is(format, 'jsonl');
	t.deepEqual(tasks, [{text: 'Nurse in Leeds', spans: [{start: 0, end: 5, label: 'JOB'}, {start: 9, end: 14, label: 'LOC'}], meta: {doccano_id: 7}}]);
});

test('the format comes from the extension, then the content', t => {
	t.is(detectFormat('a.conll', '{"text": "x"}'), 'conll');
	t.is(detectFormat('a.txt', '{"text": "x"}'), 'jsonl');
	t.is(detectFormat('a.txt', 'EU B-ORG'), 'conll');
	t.is(detectFormat('a.json', '[{"text": "x"}]'), 'json');
	// Plain text, one text a line, is not CoNLL: its lines do not end in a tag.
	t.is(detectFormat('ads.txt', 'We need a staff nurse.\nSous chef wanted in Leeds.\n'), 'text');
	t.is(detectFormat('ads', 'EU B-ORG\nrejects O\n\nGerman B-MISC\n'), 'conll');
});

test('a plain text file is read as one text a line; a binary file is refused with one line', t => {
	const file = write(t, 'ads.txt', 'We need a staff nurse.\n\n  Sous chef wanted in Leeds.  \n');
	const {tasks, bad, format} = readTasks(file);
	t.is(format, 'text');
	t.deepEqual(tasks, [{text: 'We need a staff nurse.'}, {text: 'Sous chef wanted in Leeds.'}]);
	t.deepEqual(bad, []);
	const binary = write(t, 'program', '\u007FELF\u0002\u0001\u0001\u0000\u0000\u0000');
	t.throws(() => readTasks(binary), {message: `${binary}: a binary file, not text. Give a JSONL, JSON, CoNLL or plain text file (one text a line).`});
});

const badLines: Array<[string, string, RegExp]> = [
	['not JSON', '{"text": "ok"}\n{"text": nope}\n', /:2: not valid JSON/],
	['no text', '{"spans": []}\n', /:1: has no "text" field/],
	['text not a string', '{"text": 42}\n', /:1: "text" must be a string \(got number\)/],
	['span past the end', '{"text": "Nurse", "spans": [{"start": 0, "end": 40, "label": "JOB"}]}\n', /:1: span 0 ends at 40, past the end of the text \(5 characters\)/],
	['span start after end', '{"text": "Nurse", "spans": [{"start": 3, "end": 1, "label": "JOB"}]}\n', /:1: span 0 has start 3 and end 1: it needs 0 <= start < end/],
	['span without label', '{"text": "Nurse", "spans": [{"start": 0, "end": 5}]}\n', /:1: span 0 needs a "label" string/],
	['span inside a surrogate pair', '{"text": "a 😀 b", "spans": [{"start": 3, "end": 6, "label": "X"}]}\n', /:1: span 0 has an edge \(3\.\.6\) inside a character/],
	['unknown answer', '{"text": "Nurse", "answer": "yes"}\n', /:1: "answer" must be accept, reject or ignore \(got "yes"\)/],
	['bad doccano label', '{"text": "Nurse", "label": [[0, 5]]}\n', /:1: label 0 must be \[start, end, "LABEL"]/],
	['token_end past the tokens', '{"text": "Nurse", "tokens": [{"text": "Nurse", "start": 0, "end": 5, "id": 0}], "spans": [{"start": 0, "end": 5, "label": "J", "token_start": 0, "token_end": 3}]}\n', /:1: span 0 has token_start 0 and token_end 3, outside the 1 tokens/],
];

for (const [name, content, message] of badLines) {
	test(`a bad line is reported with file and line: ${name}`, t => {
		const file = write(t, 'bad.jsonl', content);
		const {bad} = readTasks(file);
		t.is(bad.length, 1);
		t.regex(`${bad[0]!.file}:${bad[0]!.line}: ${bad[0]!.problem}`, message);
		t.true(bad[0]!.file.endsWith('bad.jsonl'));
	});
}

test('bad CoNLL lines name the line and what is wrong', t => {
	const file = write(t, 'bad.conll', 'EU B-ORG\nrejects\n\nGerman X-MISC\n');
	const {bad} = readTasks(file);
	t.deepEqual(bad.map(item => [item.line, item.problem]), [
		[2, 'expected a token and a tag separated by a tab or space, got "rejects"'],
		[4, '"X-MISC" is not a tag: tags are O, or B-, I-, E-, S-, L-, U- and a label'],
	]);
});

test('a missing file and a JSON file that is not a list are clear errors', t => {
	t.throws(() => readTasks('/nowhere/data.jsonl'), {message: '/nowhere/data.jsonl: no such file. Give the path of a JSONL, JSON, CoNLL or plain text file.'});
	const file = write(t, 'object.json', '[1, 2');
	t.throws(() => readTasks(file), {message: /object\.json: not valid JSON .*A \.json file must be a list of tasks/});
});

test('a journal line the parser ran out of is truncated; one that fails before its end is damaged', async t => {
	const {looksTruncated} = await import('../../source/store/journal.js');
	const verdict = (text: string) => {
		try {
			JSON.parse(text);
			return 'parses';
		} catch (error) {
			return looksTruncated(text, error) ? 'truncated' : 'damaged';
		}
	};

	t.is(verdict('{"op":"add","tasks":[{"text":"a"}'), 'truncated');
	t.is(verdict('{"op":"ad'), 'truncated');
	t.is(verdict('{"op":'), 'truncated');
	t.is(verdict('{"op":"add", garbage}'), 'damaged');
	t.is(verdict('xyz'), 'damaged');
	t.is(verdict('{"a":1}}'), 'damaged');
});
