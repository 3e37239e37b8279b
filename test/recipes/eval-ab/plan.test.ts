import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {loadBackend} from '../../../source/model/backend.js';
import {NerModel} from '../../../source/model/model.js';
import {answerTask, modelName} from '../../../source/recipes/eval-ab/answers.js';
import {planAbEval, splitPositionals, type AbOptions} from '../../../source/recipes/eval-ab/plan.js';
import {JsonStore} from '../../../source/store/store.js';
import {tinyConfig} from '../../_helpers/model-data.js';
import {temporaryFolder} from '../../_helpers/temp.js';

await loadBackend({prefer: 'wasm'});

/** Blank models saved once: two with PER and LOC, one with JOB_TITLE. */
const modelsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-ab-plan-'));
const models = {a: path.join(modelsFolder, 'a'), b: path.join(modelsFolder, 'b'), jobs: path.join(modelsFolder, 'jobs')};
for (const [folder, labels] of [[models.a, ['LOC', 'PER']], [models.b, ['PER', 'LOC']], [models.jobs, ['JOB_TITLE']]] as const) {
	const model = NerModel.blank(labels, tinyConfig);
	model.save(folder);
	model.dispose();
}

test.after.always(() => {
	fs.rmSync(modelsFolder, {recursive: true, force: true});
});

function setup(t: Parameters<typeof temporaryFolder>[0]) {
	const folder = temporaryFolder(t);
	const source = path.join(folder, 'source.jsonl');
	fs.writeFileSync(source, '{"text": "Anna Smith works in Leeds."}\n');
	const database = JsonStore.open(path.join(folder, 'db.json'));
	t.teardown(async () => database.close());
	const options: AbOptions = {
		dataset: 'ab', models: [models.a, models.b], source, labels: [], seed: 1,
	};
	return {folder, database, options};
}

test('Prodigy\'s argument shape: the last positional is the source unless it is a folder', t => {
	t.deepEqual(splitPositionals([models.a, models.b, 'ads.jsonl']), {models: [models.a, models.b], source: 'ads.jsonl'});
	t.deepEqual(splitPositionals([models.a, models.b]), {models: [models.a, models.b], source: undefined});
	t.deepEqual(splitPositionals([]), {models: [], source: undefined});
});

test('model names are the folders as typed, without "./" or a trailing slash', t => {
	t.is(modelName('./job_titles/'), 'job_titles');
	t.is(modelName('models/a'), 'models/a');
});

test('a missing model folder, different label sets and fewer than two models are clear errors', async t => {
	const {folder, database, options} = setup(t);
	const missing = await t.throwsAsync(async () => planAbEval(database, {...options, models: [models.a, path.join(folder, 'nope')]}), {instanceOf: UserError});
	t.regex(missing.message, /nope: no such model folder/);
	const different = await t.throwsAsync(async () => planAbEval(database, {...options, models: [models.a, models.jobs]}), {instanceOf: UserError});
	t.regex(different.message, /different labels: .*a knows LOC, PER, but .*jobs knows JOB_TITLE/);
	const one = await t.throwsAsync(async () => planAbEval(database, {...options, models: [models.a]}), {instanceOf: UserError});
	t.regex(one.message, /two or more model folders/);
	const twice = await t.throwsAsync(async () => planAbEval(database, {...options, models: [models.a, `${models.a}/`]}), {instanceOf: UserError});
	t.regex(twice.message, /named twice/);
});

test('-l matches the models\' labels whatever the case, and a label no model has is an error', async t => {
	const {database, options} = setup(t);
	const plan2 = await planAbEval(database, {...options, labels: ['per']});
	t.deepEqual(plan2.labels, ['PER']);
	const plan = await planAbEval(database, options);
	t.deepEqual(plan.labels, ['LOC', 'PER']);
	const error = await t.throwsAsync(async () => planAbEval(database, {...options, labels: ['JOB_TITLE']}), {instanceOf: UserError});
	t.is(error.message, '-l JOB_TITLE: no model knows it; the models know LOC, PER.');
});

test('a missing or bad source is a clear error', async t => {
	const {folder, database, options} = setup(t);
	const missing = await t.throwsAsync(async () => planAbEval(database, {...options, source: path.join(folder, 'nope.jsonl')}), {instanceOf: UserError});
	t.regex(missing.message, /nope\.jsonl: no such source file/);
	const bad = path.join(folder, 'bad.jsonl');
	fs.writeFileSync(bad, '{"text": "fine"}\n{"text": 3}\n');
	const error = await t.throwsAsync(async () => planAbEval(database, {...options, source: bad}), {instanceOf: UserError});
	t.regex(error.message, /bad\.jsonl:2: /);
});

test('a dataset holding other answers is refused, so A/B answers never mix with training data', async t => {
	const {database, options} = setup(t);
	const session = await database.startSession('ab');
	database.add('ab', session, {text: 'Anna', spans: [], answer: 'accept'});
	const error = await t.throwsAsync(async () => planAbEval(database, options), {instanceOf: UserError});
	t.regex(error.message, /ab holds 1 example from other recipes: give eval-ab a dataset of its own/);
});

test('answers stored before are skipped and counted in the live verdict', async t => {
	const {database, options} = setup(t);
	const session = await database.startSession('ab');
	const [a, b] = [modelName(models.a), modelName(models.b)];
	const stored = database.add('ab', session, answerTask({
		id: 42, inputHash: 7, text: 'Anna', meta: {}, models: [a, b], mapping: {1: b, 2: a}, outputs: {[a]: [], [b]: []}, agreed: [],
	}, '1', session));
	const plan = await planAbEval(database, options);
	t.deepEqual(plan.worker.skipTasks, [stored._task_hash]);
	t.deepEqual(plan.earlier, [{winner: b, models: [a, b]}]);
	t.deepEqual(plan.worker.models.map(model => model.name), [a, b]);
});
