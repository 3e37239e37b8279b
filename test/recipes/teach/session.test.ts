import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {loadBackend} from '../../../source/model/backend.js';
import {NerModel} from '../../../source/model/model.js';
import {
	answerTask, planTeach, TeachSession, type TeachEvent, type TeachOptions,
} from '../../../source/recipes/teach/session.js';
import type {Question} from '../../../source/recipes/teach/types.js';
import {JsonStore} from '../../../source/store/store.js';
import {tinyConfig, tinyGold} from '../../_helpers/model-data.js';
import {temporaryFolder} from '../../_helpers/temp.js';

function setup(t: Parameters<typeof temporaryFolder>[0]) {
	const folder = temporaryFolder(t);
	const source = path.join(folder, 'source.jsonl');
	fs.writeFileSync(source, tinyGold().map(task => JSON.stringify({text: task.text, meta: {id: task.text.length}})).join('\n') + '\n');
	const patterns = path.join(folder, 'patterns.jsonl');
	fs.writeFileSync(patterns, ['Anna Smith', 'Li Wei', 'Maria Lopez'].map(name => JSON.stringify({label: 'PER', pattern: name})).join('\n') + '\n');
	const database = JsonStore.open(path.join(folder, 'db.json'));
	t.teardown(async () => database.close());
	const options: TeachOptions = {
		dataset: 'people', model: 'blank', source, labels: ['PER'], patterns, exclude: [], prefer: 'uncertain', bias: 0, seed: 0,
	};
	return {
		folder, source, patterns, database, options,
	};
}

test('a missing source, a source with a bad line, and a label no model or pattern knows are clear errors', async t => {
	const {folder, database, options} = setup(t);
	const error1 = await t.throwsAsync(async () => planTeach(database, {...options, source: path.join(folder, 'nope.jsonl')}), {instanceOf: UserError});
	t.regex(error1.message, /nope\.jsonl: no such source file/);
	const bad = path.join(folder, 'bad.jsonl');
	fs.writeFileSync(bad, '{"text": "fine"}\n{"text": 3}\n');
	const error2 = await t.throwsAsync(async () => planTeach(database, {...options, source: bad}), {instanceOf: UserError});
	t.regex(error2.message, /bad\.jsonl:2: .*nothing was saved/);
	const {patterns: _, ...noPatterns} = options;
	const error3 = await t.throwsAsync(async () => planTeach(database, {...noPatterns, labels: ['JOB_TITLE']}), {instanceOf: UserError});
	t.regex(error3.message, /-l JOB_TITLE: A blank model knows no labels, and no pattern proposes JOB_TITLE/);
	const error4 = await t.throwsAsync(async () => planTeach(database, {...options, exclude: ['nothing']}), {instanceOf: UserError});
	t.regex(error4.message, /-e nothing: there is no dataset "nothing"/);
	const error5 = await t.throwsAsync(async () => planTeach(database, {...options, model: path.join(folder, 'no-model')}), {instanceOf: UserError});
	t.regex(error5.message, /no-model: no such model folder/);
});

test('-l matches the model\'s label whatever its case, as Prodigy\'s users type it', async t => {
	const {folder, database, options} = setup(t);
	await loadBackend({prefer: 'wasm'});
	const model = NerModel.blank(['JOB_TITLE'], tinyConfig);
	model.save(path.join(folder, 'model'));
	model.dispose();
	const {patterns: _, ...noPatterns} = options;
	const plan = await planTeach(database, {...noPatterns, model: path.join(folder, 'model'), labels: ['job_title']});
	t.deepEqual(plan.labels, ['JOB_TITLE']);
});

test('a text source has one text a line', async t => {
	const {folder, database, options} = setup(t);
	const text = path.join(folder, 'ads.txt');
	fs.writeFileSync(text, 'Wanted: a staff nurse.\n\nA sous chef for our kitchen.\n');
	const plan = await planTeach(database, {...options, source: text});
	t.deepEqual(plan.worker.source, [{text: 'Wanted: a staff nurse.', line: 1}, {text: 'A sous chef for our kitchen.', line: 3}]);
});

test('answers are stored in Prodigy\'s shape', t => {
	const question: Question = {
		id: 42, inputHash: 7, text: 'Anna Smith works', tokens: [{
			text: 'Anna', start: 0, end: 4, id: 0, ws: true,
		}], span: {
			start: 0, end: 10, label: 'PER', token_start: 0, token_end: 1, text: 'Anna Smith',
		}, label: 'PER', score: 0.123_456, priority: 1, pattern: 'Anna Smith', meta: {source: 'x'},
	};
	const task = answerTask(question, 'accept', 'people-1');
	t.like(task, {
		text: 'Anna Smith works', answer: 'accept', _input_hash: 7, _task_hash: 42, _session_id: 'people-1', _view_id: 'ner', meta: {source: 'x', score: 0.1235, pattern: 'Anna Smith'},
	});
	t.deepEqual(task.spans, [{
		start: 0, end: 10, label: 'PER', token_start: 0, token_end: 1, text: 'Anna Smith', score: 0.123_456,
	}]);
	t.is(typeof task._timestamp, 'number');
});

async function nextQuestions(session: TeachSession, count: number): Promise<Question[]> {
	return new Promise((resolve, reject) => {
		const got: Question[] = [];
		const unsubscribe = session.subscribe((event: TeachEvent) => {
			if (event.type === 'questions' && !event.replace) {
				got.push(...event.questions);
			} else if (event.type === 'error') {
				reject(new Error(event.message));
			}

			if (got.length >= count) {
				unsubscribe();
				resolve(got);
			}
		});
	});
}

test('a session stores each answer at once, takes back an undo, saves the model, and a restart resumes after the answered inputs', async t => {
	const {database, options, folder} = setup(t);
	const plan = await planTeach(database, options);
	t.is(plan.output, path.join(folder, 'db.teach', 'people'));
	const session = await TeachSession.start(database, plan);
	const questions = await nextQuestions(session, 3);
	session.answer(questions[0]!, 'accept');
	session.answer(questions[1]!, 'reject');
	session.answer(questions[2]!, 'ignore');
	const fresh = JsonStore.open(database.location);
	const stored2 = await fresh.examples('people');
	t.deepEqual(stored2.map(example => example.task.answer), ['accept', 'reject', 'ignore']);
	session.undo(questions[2]!);
	const stored = await fresh.examples('people');
	t.deepEqual(stored.map(example => example.task.answer), ['accept', 'reject']);
	await fresh.close();
	t.deepEqual(session.counts(), {accept: 1, reject: 1, ignore: 0});
	t.is(await session.close(), plan.output);
	t.true(fs.existsSync(path.join(plan.output, 'model.json')));

	const reopened = JsonStore.open(database.location);
	t.teardown(async () => reopened.close());
	const again = await planTeach(reopened, options);
	t.is(again.answeredBefore, 2);
	t.is(again.resumedModel, plan.output);
	t.is(again.worker.earlier.length, 2);
	const answered = new Set([questions[0]!.inputHash, questions[1]!.inputHash]);
	t.true(again.worker.skipInputs.includes(questions[0]!.inputHash));
	const resumed = await TeachSession.start(reopened, again);
	const next = await nextQuestions(resumed, 3);
	t.false(next.some(question => answered.has(question.inputHash)));
	await resumed.close();
	const plan2 = await planTeach(reopened, {...options, freshModel: true});
	t.false(plan2.resumedModel !== undefined);
});

test('--session: each annotator resumes on their own answers only, sees what others answered, and has their own in-loop model', async t => {
	const {database, options} = setup(t);
	const {text} = tinyGold()[0]!;
	const alice = await database.startSession('people', {name: 'alice'});
	database.add('people', alice, {
		text, spans: [{start: 0, end: 4, label: 'PER'}], answer: 'accept', _view_id: 'ner',
	});
	const asAlice = await planTeach(database, {...options, sessionName: 'alice'});
	const asBob = await planTeach(database, {...options, sessionName: 'bob'});
	const stored = await database.examples('people');
	const hash = stored[0]!.task._input_hash;
	t.true(asAlice.worker.skipInputs.includes(hash));
	t.false(asBob.worker.skipInputs.includes(hash));
	t.is(asAlice.answeredBefore, 1);
	t.is(asBob.answeredBefore, 0);
	t.regex(asBob.output, /db\.teach[/\\]people-bob$/);
	const plan = await planTeach(database, options);
	t.true(plan.worker.skipInputs.includes(hash), 'without --session every answer in the dataset is skipped');
	await t.throwsAsync(async () => planTeach(database, {...options, sessionName: 'bob smith'}), {instanceOf: UserError, message: /--session bob smith: use letters/});
});
