import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {Database} from '../../source/store/database.js';
import {datasetStats, exportDataset, importFile} from '../../source/recipes/db.js';
import {
	readJsonl, hasSharedDatasets, sharedDataset, temporaryFolder,
} from '../_helpers/temp.js';

// Tests that read ../shared/datasets run where it is (or INKLING_DATASETS points at it).
const withDatasets = hasSharedDatasets() ? test : test.skip;

type Record = {text: string; spans: Array<{start: number; end: number; label: string}>};

function openDatabase(t: ExecutionContext) {
	const folder = temporaryFolder(t);
	const database = Database.open(path.join(folder, 'db.json'));
	t.teardown(() => {
		database.closeSync();
	});
	return {database, folder};
}

withDatasets('Prodigy annotations come back out with every field of all 373 records equal (reads ../shared/datasets)', t => {
	const {database} = openDatabase(t);
	const file = sharedDataset('prodigy_news_headlines', 'annotated.jsonl');
	const result = importFile(database, 'news', file);
	t.is(result.imported, 373);
	const exported = exportDataset(database, 'news');
	const back = exported.text.trim().split('\n').map(line => JSON.parse(line) as unknown);
	t.is(back.length, 373);
	t.deepEqual(back, readJsonl(file));
});

withDatasets('CoNLL-2003 train exported as CoNLL BIO and imported again gives identical spans for all 14,041 sentences (reads ../shared/datasets)', t => {
	const {database, folder} = openDatabase(t);
	const source = sharedDataset('conll2003_en', 'train.jsonl');
	t.is(importFile(database, 'conll', source).imported, 14_041);
	const exported = exportDataset(database, 'conll', {format: 'conll'});
	t.is(exported.exported, 14_041);
	t.is(exported.dropped, 0);
	const bio = path.join(folder, 'train.conll');
	fs.writeFileSync(bio, exported.text);
	t.is(importFile(database, 'conll-again', bio).imported, 14_041);

	const original = readJsonl<Record>(source);
	const again = database.examples('conll-again').map(example => example.task);
	t.is(again.length, original.length);
	let differences = 0;
	for (const [index, record] of original.entries()) {
		const task = again[index]!;
		const spans = (task.spans ?? []).map(span => ({start: span.start, end: span.end, label: span.label}));
		if (task.text !== record.text || JSON.stringify(spans) !== JSON.stringify(record.spans)) {
			differences++;
		}
	}

	t.is(differences, 0);
});

test('an import with a bad line writes nothing and names the file and line', t => {
	const {database, folder} = openDatabase(t);
	const file = path.join(folder, 'mixed.jsonl');
	fs.writeFileSync(file, '{"text": "Staff nurse"}\n{"text": "Nurse", "spans": [{"start": 0, "end": 9, "label": "JOB"}]}\n{"text": 3}\n');
	const error = t.throws(() => importFile(database, 'jobs', file));
	t.is(error.message, `${file}:2: span 0 ends at 9, past the end of the text (5 characters) (2 bad lines in all; the next at line 3). Nothing was imported: fix the file, or pass --skip-invalid to import the valid lines.`);
	t.deepEqual(database.datasets(), []);
	t.is(database.count(), 0);
});

test('--skip-invalid imports the valid lines and counts the bad ones', t => {
	const {database, folder} = openDatabase(t);
	const file = path.join(folder, 'mixed.jsonl');
	fs.writeFileSync(file, '{"text": "Staff nurse"}\nnot json\n{"text": "Porter", "answer": "reject"}\n');
	const result = importFile(database, 'jobs', file, {skipInvalid: true, answer: 'accept'});
	t.is(result.imported, 2);
	t.deepEqual(result.skipped.map(bad => bad.line), [2]);
	t.deepEqual(database.examples('jobs').map(example => example.task.answer), ['accept', 'reject']);
});

test('an empty file is an error, not an empty import', t => {
	const {database, folder} = openDatabase(t);
	const file = path.join(folder, 'empty.jsonl');
	fs.writeFileSync(file, '\n');
	t.throws(() => importFile(database, 'jobs', file), {message: `${file}: no examples to import (the file is empty).`});
});

withDatasets('stats count answers, labels, texts and sessions (reads ../shared/datasets)', t => {
	const {database} = openDatabase(t);
	importFile(database, 'news', sharedDataset('prodigy_news_headlines', 'annotated.jsonl'));
	const stats = datasetStats(database, 'news');
	t.deepEqual(stats.answers, {
		accept: 372, reject: 0, ignore: 1, none: 0,
	});
	t.deepEqual(stats.labels, {
		ORG: 136, LOCATION: 121, PERSON: 38, PRODUCT: 8,
	});
	t.is(stats.examples, 373);
	t.is(stats.sessions.length, 1);
	t.is(stats.sessions[0]!.examples, 373);
	t.throws(() => datasetStats(database, 'nope'), {message: /There is no dataset "nope" in .*db\.json/});
});

test('CoNLL and spaCy exports leave out rejected answers unless asked', t => {
	const {database, folder} = openDatabase(t);
	const file = path.join(folder, 'answers.jsonl');
	fs.writeFileSync(file, '{"text": "Staff nurse", "spans": [{"start": 0, "end": 11, "label": "JOB"}], "answer": "accept"}\n{"text": "Porter", "spans": [{"start": 0, "end": 6, "label": "JOB"}], "answer": "reject"}\n');
	importFile(database, 'jobs', file);
	const spacy = exportDataset(database, 'jobs', {format: 'spacy'});
	t.is(spacy.text, '["Staff nurse",{"entities":[[0,11,"JOB"]]}]\n');
	t.is(spacy.leftOut, 1);
	t.is(exportDataset(database, 'jobs', {format: 'spacy', answers: ['accept', 'reject']}).exported, 2);
	t.throws(() => exportDataset(database, 'nope'), {message: /There is no dataset "nope"/});
});
