import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {datasetStats, exportDataset, importFile} from '../../source/recipes/db.js';
import {
	readJsonl, sharedDataset, temporaryFolder,
} from '../_helpers/temp.js';
import {eachStore, openTestStore} from '../_helpers/stores.js';

type Record = {text: string; spans: Array<{start: number; end: number; label: string}>};

eachStore(test, 'Prodigy annotations come back out with every field of all 373 records equal (reads ../shared/datasets)', async (t, kind) => {
	const {store: database} = await openTestStore(t, kind);
	const file = sharedDataset('prodigy_news_headlines', 'annotated.jsonl');
	const result = await importFile(database, 'news', file);
	t.is(result.imported, 373);
	const exported = await exportDataset(database, 'news');
	const back = exported.text.trim().split('\n').map(line => JSON.parse(line) as unknown);
	t.is(back.length, 373);
	t.deepEqual(back, readJsonl(file));
}, true);

eachStore(test, 'CoNLL-2003 train exported as CoNLL BIO and imported again gives identical spans for all 14,041 sentences (reads ../shared/datasets)', async (t, kind) => {
	const {store: database, folder} = await openTestStore(t, kind);
	const source = sharedDataset('conll2003_en', 'train.jsonl');
	const imported = await importFile(database, 'conll', source);
	t.is(imported.imported, 14_041);
	const exported = await exportDataset(database, 'conll', {format: 'conll'});
	t.is(exported.exported, 14_041);
	t.is(exported.dropped, 0);
	const bio = path.join(folder, 'train.conll');
	fs.writeFileSync(bio, exported.text);
	const reimported = await importFile(database, 'conll-again', bio);
	t.is(reimported.imported, 14_041);

	const original = readJsonl<Record>(source);
	const stored = await database.examples('conll-again');
	const again = stored.map(example => example.task);
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
}, true);

eachStore(test, 'an import with a bad line writes nothing and names the file and line', async (t, kind) => {
	const {store: database, folder} = await openTestStore(t, kind);
	const file = path.join(folder, 'mixed.jsonl');
	fs.writeFileSync(file, '{"text": "Staff nurse"}\n{"text": "Nurse", "spans": [{"start": 0, "end": 9, "label": "JOB"}]}\n{"text": 3}\n');
	const error = await t.throwsAsync(async () => importFile(database, 'jobs', file));
	t.is(error.message, `${file}:2: span 0 ends at 9, past the end of the text (5 characters) (2 bad lines in all; the next at line 3). Nothing was imported: fix the file, or pass --skip-invalid to import the valid lines.`);
	t.deepEqual(await database.datasets(), []);
	t.is(await database.count(), 0);
});

eachStore(test, '--skip-invalid imports the valid lines and counts the bad ones', async (t, kind) => {
	const {store: database, folder} = await openTestStore(t, kind);
	const file = path.join(folder, 'mixed.jsonl');
	fs.writeFileSync(file, '{"text": "Staff nurse"}\nnot json\n{"text": "Porter", "answer": "reject"}\n');
	const result = await importFile(database, 'jobs', file, {skipInvalid: true, answer: 'accept'});
	t.is(result.imported, 2);
	t.deepEqual(result.skipped.map(bad => bad.line), [2]);
	const stored = await database.examples('jobs');
	t.deepEqual(stored.map(example => example.task.answer), ['accept', 'reject']);
});

eachStore(test, 'an empty file is an error, not an empty import', async (t, kind) => {
	const {store: database, folder} = await openTestStore(t, kind);
	const file = path.join(folder, 'empty.jsonl');
	fs.writeFileSync(file, '\n');
	await t.throwsAsync(async () => importFile(database, 'jobs', file), {message: `${file}: no examples to import (the file is empty).`});
});

eachStore(test, 'stats count answers, labels, texts and sessions (reads ../shared/datasets)', async (t, kind) => {
	const {store: database} = await openTestStore(t, kind);
	await importFile(database, 'news', sharedDataset('prodigy_news_headlines', 'annotated.jsonl'));
	const stats = await datasetStats(database, 'news');
	t.deepEqual(stats.answers, {
		accept: 372, reject: 0, ignore: 1, none: 0,
	});
	t.deepEqual(stats.labels, {
		ORG: 136, LOCATION: 121, PERSON: 38, PRODUCT: 8,
	});
	t.is(stats.examples, 373);
	t.is(stats.sessions.length, 1);
	t.is(stats.sessions[0]!.examples, 373);
	await t.throwsAsync(async () => datasetStats(database, 'nope'), {message: /There is no dataset "nope" in /});
}, true);

eachStore(test, 'CoNLL and spaCy exports leave out rejected answers unless asked', async (t, kind) => {
	const {store: database, folder} = await openTestStore(t, kind);
	const file = path.join(folder, 'answers.jsonl');
	fs.writeFileSync(file, '{"text": "Staff nurse", "spans": [{"start": 0, "end": 11, "label": "JOB"}], "answer": "accept"}\n{"text": "Porter", "spans": [{"start": 0, "end": 6, "label": "JOB"}], "answer": "reject"}\n');
	await importFile(database, 'jobs', file);
	const spacy = await exportDataset(database, 'jobs', {format: 'spacy'});
	t.is(spacy.text, '["Staff nurse",{"entities":[[0,11,"JOB"]]}]\n');
	t.is(spacy.leftOut, 1);
	const exported2 = await exportDataset(database, 'jobs', {format: 'spacy', answers: ['accept', 'reject']});
	t.is(exported2.exported, 2);
	await t.throwsAsync(async () => exportDataset(database, 'nope'), {message: /There is no dataset "nope"/});
});
