import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {list} from '../../../source/commands/shared.js';
import {UserError} from '../../../source/errors.js';
import {
	answeredInputs, editItems, editTask, EditSession, readLabels, taskTokens, type EditEvent, type EditPlan,
} from '../../../source/recipes/manual/session.js';
import type {EditItem} from '../../../source/recipes/manual/types.js';
import {JsonStore} from '../../../source/store/store.js';
import {inputHash} from '../../../source/task/hash.js';
import {startEditing, type Done} from '../../../source/ui/edit-reducer.js';
import {temporaryFolder} from '../../_helpers/temp.js';
import {readSourceTasks} from '../../../source/recipes/source.js';

const noSkip = new Set<number>();

function item(text: string, extra: Partial<EditItem> = {}): EditItem {
	return {
		text, tokens: taskTokens(text), spans: [], inputHash: inputHash({text}), ...extra,
	};
}

function openDatabase(t: ExecutionContext): JsonStore {
	const database = JsonStore.open(path.join(temporaryFolder(t), 'db.json'));
	t.teardown(async () => database.close());
	return database;
}

function plan(items: EditItem[], extra: Partial<EditPlan> = {}): EditPlan {
	return {
		dataset: 'gold', labels: ['PER', 'JOB'], viewId: 'ner_manual', recipe: 'manual', items: items[Symbol.iterator](), answeredBefore: 0, ...extra,
	};
}

/** Every event the session has sent so far (early ones are replayed on subscribing). */
function events(session: EditSession): EditEvent[] {
	const got: EditEvent[] = [];
	session.subscribe(event => got.push(event));
	return got;
}

test('readLabels takes a comma list, without repeats', t => {
	t.deepEqual(readLabels(list('PER, ORG,PER,LOC')), ['PER', 'ORG', 'LOC']);
	t.deepEqual(readLabels(['JOB_TITLE']), ['JOB_TITLE']);
});

test('readLabels reads a file with one label a line, skipping comments and blank lines', t => {
	const file = path.join(temporaryFolder(t), 'labels.txt');
	fs.writeFileSync(file, '# labels for the job ads\nJOB_TITLE\n\n  ORG  \n# not this\nJOB_TITLE\n');
	t.deepEqual(readLabels([file]), ['JOB_TITLE', 'ORG']);
});

test('readLabels refuses an empty label file, naming it', t => {
	const file = path.join(temporaryFolder(t), 'labels.txt');
	fs.writeFileSync(file, '# nothing yet\n\n');
	const error = t.throws(() => readLabels([file]), {instanceOf: UserError});
	t.true(error.message.includes(file));
	t.regex(error.message, /holds no labels/);
});

test('readSourceTasks names a missing file', t => {
	const file = path.join(temporaryFolder(t), 'nope.jsonl');
	const error = t.throws(() => readSourceTasks(file), {instanceOf: UserError});
	t.true(error.message.startsWith(`${file}: no such source file`));
});

test('readSourceTasks gives the file and line of a bad JSONL line', t => {
	const file = path.join(temporaryFolder(t), 'bad.jsonl');
	fs.writeFileSync(file, '{"text": "fine"}\n{"text": 3}\n');
	const error = t.throws(() => readSourceTasks(file), {instanceOf: UserError});
	t.true(error.message.startsWith(`${file}:2: `), error.message);
	t.regex(error.message, /nothing was saved/);
});

test('readSourceTasks reads a .txt file as one text a line, with its line number', t => {
	const file = path.join(temporaryFolder(t), 'ads.txt');
	fs.writeFileSync(file, 'Wanted: a staff nurse.\n\n  A sous chef for our kitchen.  \n{"text": "this is text too"}\n');
	t.deepEqual(readSourceTasks(file), [
		{text: 'Wanted: a staff nurse.', fields: {}, line: 1},
		{text: 'A sous chef for our kitchen.', fields: {}, line: 3},
		{text: '{"text": "this is text too"}', fields: {}, line: 4},
	]);
});

test('readSourceTasks keeps meta, spans and unknown fields of JSONL tasks, and drops answers and hashes', t => {
	const file = path.join(temporaryFolder(t), 'ads.jsonl');
	fs.writeFileSync(file, JSON.stringify({
		text: 'Anna works.', meta: {id: 3}, spans: [{start: 0, end: 4, label: 'PER'}], source: 'ads', answer: 'accept', _input_hash: 1, _task_hash: 2, _session_id: 'x', _view_id: 'ner', _timestamp: 5,
	}) + '\n');
	t.deepEqual(readSourceTasks(file), [{
		text: 'Anna works.', meta: {id: 3}, spans: [{start: 0, end: 4, label: 'PER'}], fields: {source: 'ads'},
	}]);
});

test('editItems splits a text into sentences, one item each', t => {
	const items = [...editItems([{text: 'Anna works here. Bob is a nurse.', fields: {}}], {unsegmented: false, labels: [], skip: noSkip})];
	t.deepEqual(items.map(item => item.text), ['Anna works here.', 'Bob is a nurse.']);
	t.deepEqual(items[1]!.tokens.map(token => [token.text, token.start, token.end, token.id]), [['Bob', 0, 3, 0], ['is', 4, 6, 1], ['a', 7, 8, 2], ['nurse', 9, 14, 3], ['.', 14, 15, 4]]);
	t.is(items[1]!.inputHash, inputHash({text: 'Bob is a nurse.'}));
});

test('editItems keeps a text whole when unsegmented', t => {
	const items = [...editItems([{text: 'Anna works here. Bob is a nurse.', meta: {id: 1}, fields: {}}], {unsegmented: true, labels: [], skip: noSkip})];
	t.deepEqual(items.map(item => item.text), ['Anna works here. Bob is a nurse.']);
	t.deepEqual(items[0]!.meta, {id: 1});
	t.is(items[0]!.fields, undefined);
});

test('editItems skips inputs in skip, and repeats', t => {
	const skip = new Set([inputHash({text: 'Anna works here.'})]);
	const source = [{text: 'Anna works here. Bob is a nurse.', fields: {}}, {text: 'Bob is a nurse.', fields: {}}, {text: 'Cy cooks.', fields: {}}];
	t.deepEqual([...editItems(source, {unsegmented: false, labels: [], skip})].map(item => item.text), ['Bob is a nurse.', 'Cy cooks.']);
});

test('editItems keeps pre-annotated spans with token indices, and drops other labels and misaligned spans', t => {
	const source = [{
		text: 'Anna Smith works as a cook.',
		spans: [{start: 0, end: 10, label: 'PER'}, {start: 11, end: 16, label: 'VERB'}, {start: 22, end: 26, label: 'JOB'}, {start: 1, end: 3, label: 'PER'}],
		fields: {source: 'ads'},
	}];
	const [only] = [...editItems(source, {unsegmented: false, labels: ['PER', 'JOB'], skip: noSkip})];
	t.deepEqual(only!.spans, [
		{
			start: 0, end: 10, token_start: 0, token_end: 1, label: 'PER',
		},
		{
			start: 22, end: 26, token_start: 5, token_end: 5, label: 'JOB',
		},
	]);
	t.deepEqual(only!.fields, {source: 'ads'});
});

test('editItems keeps the tokens of a pre-tokenized task, without ws', t => {
	const tokens = [{
		text: 'Anna', start: 0, end: 4, id: 0, ws: true,
	}, {
		text: 'works.', start: 5, end: 11, id: 1, ws: false,
	}];
	const [only] = [...editItems([{
		text: 'Anna works.', tokens, spans: [{start: 5, end: 11, label: 'JOB'}], fields: {},
	}], {unsegmented: false, labels: [], skip: noSkip})];
	t.deepEqual(only!.tokens, [{
		text: 'Anna', start: 0, end: 4, id: 0,
	}, {
		text: 'works.', start: 5, end: 11, id: 1,
	}]);
	t.deepEqual(only!.spans, [{
		start: 5, end: 11, token_start: 1, token_end: 1, label: 'JOB',
	}]);
});

// Spans of a later sentence keep their place (sentence offsets, counted once).
test('editItems keeps the pre-annotated spans of a later sentence where they are', t => {
	const text = 'Hi. Ann Bob Cal Dan sat.';
	const start = text.indexOf('Cal Dan');
	const items = [...editItems([{text, spans: [{start, end: start + 7, label: 'PER'}], fields: {}}], {unsegmented: false, labels: ['PER'], skip: noSkip})];
	t.deepEqual(items.map(item => item.text), ['Hi.', 'Ann Bob Cal Dan sat.']);
	t.deepEqual(items[1]!.spans, [{
		start: 8, end: 15, token_start: 2, token_end: 3, label: 'PER',
	}]);
});

test('editTask stores exactly the fields of Prodigy\'s ner_manual answers', t => {
	const editing = startEditing(item('Anna Smith works as a cook.', {meta: {id: 1}}));
	const spans = [
		{
			start: 22, end: 26, token_start: 5, token_end: 5, label: 'JOB', score: 0.9,
		},
		{
			start: 0, end: 10, token_start: 0, token_end: 1, label: 'PER', text: 'Anna Smith',
		},
	];
	const task = editTask({...editing, spans}, 'accept', 'gold-alice');
	t.deepEqual(Object.keys(task).sort(), ['_input_hash', '_session_id', '_view_id', 'answer', 'meta', 'spans', 'text', 'tokens']);
	t.like(task, {
		text: 'Anna Smith works as a cook.', meta: {id: 1}, _input_hash: editing.item.inputHash, _session_id: 'gold-alice', _view_id: 'ner_manual', answer: 'accept',
	});
	t.is(task.tokens, editing.item.tokens);
	t.deepEqual(task.spans, [
		{
			start: 0, end: 10, token_start: 0, token_end: 1, label: 'PER',
		},
		{
			start: 22, end: 26, token_start: 5, token_end: 5, label: 'JOB',
		},
	]);
	for (const span of task.spans!) {
		t.deepEqual(Object.keys(span), ['start', 'end', 'token_start', 'token_end', 'label']);
	}
});

test('editTask leaves out token indices of a character span, and keeps the source\'s fields', t => {
	const editing = startEditing(item('Anna Smith', {fields: {source: 'ads'}}));
	const task = editTask({...editing, spans: [{start: 1, end: 3, label: 'PER'}]}, 'reject', 'gold-1', 'ner_manual_chars');
	t.deepEqual(task.spans, [{start: 1, end: 3, label: 'PER'}]);
	t.is(task.source, 'ads');
	t.is(task._view_id, 'ner_manual_chars');
	t.false('meta' in task);
});

test('a session sends its items to a subscriber, then says the source is done', async t => {
	const database = openDatabase(t);
	const items = [item('Anna works.'), item('Bob cooks.'), item('Cy sings.')];
	const session = await EditSession.start(database, plan(items));
	const got = events(session);
	t.deepEqual(got, [{type: 'items', items}, {type: 'exhausted'}]);
	const sessions2 = await database.sessions('gold');
	t.is(session.id, sessions2[0]!.id);
});

test('a session reads only a few items ahead, and more as they are answered', async t => {
	const database = openDatabase(t);
	const items = ['Anna works.', 'Bob cooks.', 'Cy sings.', 'Di swims.', 'Ed runs.'].map(text => item(text));
	const session = await EditSession.start(database, plan(items, {ahead: 2}));
	const got = events(session);
	t.deepEqual(got, [{type: 'items', items: items.slice(0, 2)}]);
	session.answer(startEditing(items[0]!), 'accept');
	t.is(got.length, 1);
	session.answer(startEditing(items[1]!), 'accept');
	t.deepEqual(got.slice(1), [{type: 'items', items: items.slice(2, 4)}]);
});

test('an answer is in the dataset as soon as answer returns, and undo takes it back', async t => {
	const database = openDatabase(t);
	const items = [item('Anna Smith works.'), item('Bob cooks.')];
	const session = await EditSession.start(database, plan(items));
	const editing = {
		...startEditing(items[0]!), spans: [{
			start: 0, end: 10, token_start: 0, token_end: 1, label: 'PER',
		}],
	};
	const taskHash = session.answer(editing, 'accept');
	const stored = await database.examples('gold');
	t.is(stored.length, 1);
	t.is(stored[0]!.session, session.id);
	t.is(stored[0]!.task._task_hash, taskHash);
	t.like(stored[0]!.task, {
		text: 'Anna Smith works.', answer: 'accept', _input_hash: items[0]!.inputHash, _session_id: session.id, _view_id: 'ner_manual',
	});
	t.deepEqual(stored[0]!.task.spans, editing.spans);

	// Another process sees it too: it is on disk.
	const other = JsonStore.open(database.location);
	const seen = await other.examples('gold');
	t.is(seen.length, 1);

	const second = session.answer(startEditing(items[1]!), 'reject');
	t.deepEqual(session.counts(), {accept: 1, reject: 1, ignore: 0});
	const done: Done = {editing: startEditing(items[1]!), answer: 'reject', taskHash: second};
	session.undo(done);
	const afterUndo = await database.examples('gold');
	t.deepEqual(afterUndo.map(example => example.task.text), ['Anna Smith works.']);
	const seenAfterUndo = await other.examples('gold');
	t.deepEqual(seenAfterUndo.map(example => example.task.text), ['Anna Smith works.']);
	t.deepEqual(session.counts(), {accept: 1, reject: 0, ignore: 0});
	await other.close();
});

test('answeredInputs with a session name counts only that annotator\'s answers', async t => {
	const database = openDatabase(t);
	const items = [item('Anna works.'), item('Bob cooks.'), item('Cy sings.')];
	const alice = await EditSession.start(database, plan(items, {sessionName: 'alice'}));
	const bob = await EditSession.start(database, plan(items, {sessionName: 'bob'}));
	t.is(alice.id, 'gold-alice');
	alice.answer(startEditing(items[0]!), 'accept');
	bob.answer(startEditing(items[1]!), 'accept');
	bob.answer(startEditing(items[2]!), 'ignore');

	const forAlice = await answeredInputs(database, 'gold', [], 'alice');
	t.deepEqual(forAlice, {skip: new Set([items[0]!.inputHash]), count: 1});
	const forBob = await answeredInputs(database, 'gold', [], 'bob');
	t.deepEqual(forBob, {skip: new Set([items[1]!.inputHash, items[2]!.inputHash]), count: 2});
	const forAll = await answeredInputs(database, 'gold', []);
	t.is(forAll.count, 3);
	t.is(forAll.skip.size, 3);
	t.deepEqual(await answeredInputs(database, 'gold', [], 'carol'), {skip: new Set(), count: 0});
});

test('answeredInputs skips the inputs of excluded datasets without counting them, and names a missing one', async t => {
	const database = openDatabase(t);
	const items = [item('Anna works.'), item('Bob cooks.')];
	const session2 = await EditSession.start(database, plan(items));
	session2.answer(startEditing(items[0]!), 'accept');
	const session = await EditSession.start(database, plan(items, {dataset: 'silver'}));
	session.answer(startEditing(items[1]!), 'accept');
	t.deepEqual(await answeredInputs(database, 'gold', ['silver']), {skip: new Set([items[0]!.inputHash, items[1]!.inputHash]), count: 1});
	const error = await t.throwsAsync(async () => answeredInputs(database, 'gold', ['bronze']), {instanceOf: UserError});
	t.regex(error.message, /-e bronze: there is no dataset "bronze"/);
});

test('readLabels: a path that names no file is a mistake, not a label', t => {
	const error = t.throws(() => readLabels(['labels/none.txt']), {instanceOf: UserError});
	t.regex(error.message, /-l labels\/none\.txt: no such labels file/);
	t.deepEqual(readLabels(['B-PER']), ['B-PER']);
});
