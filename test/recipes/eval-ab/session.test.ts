import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {NerModel} from '../../../source/model/model.js';
import {modelName} from '../../../source/recipes/eval-ab/answers.js';
import {planAbEval, type AbOptions} from '../../../source/recipes/eval-ab/plan.js';
import {AbSession, type AbEvent} from '../../../source/recipes/eval-ab/session.js';
import type {AbDatasetSummary} from '../../../source/recipes/eval-ab/summary.js';
import type {AbChoice, AbQuestion} from '../../../source/recipes/eval-ab/types.js';
import {JsonStore} from '../../../source/store/store.js';
import {abModels, abSource} from '../../_helpers/ab-models.js';
import {temporaryFolder, readJsonl} from '../../_helpers/temp.js';

const modelsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-ab-session-'));
const models = await abModels(modelsFolder);

test.after.always(() => {
	fs.rmSync(modelsFolder, {recursive: true, force: true});
});

function setup(t: Parameters<typeof temporaryFolder>[0], plain = 0) {
	const folder = temporaryFolder(t);
	const source = abSource(path.join(folder, 'source.jsonl'), plain);
	const file = path.join(folder, 'db.json');
	const options: AbOptions = {
		dataset: 'ab', models: [models.per, models.none], source, labels: ['PER'], backend: 'wasm', seed: 5,
	};
	return {source, file, options};
}

/**
 * Run a session to the end of its source (or `limit` answers), answering
 * each question with `choose`; returns the questions asked and the summary.
 */
async function run(file: string, options: AbOptions, choose: (question: AbQuestion) => AbChoice, limit = Number.POSITIVE_INFINITY): Promise<{questions: AbQuestion[]; summary: AbDatasetSummary}> {
	const database = JsonStore.open(file);
	const session = await AbSession.start(database, await planAbEval(database, options));
	const questions: AbQuestion[] = [];
	await new Promise<void>((resolve, reject) => {
		const waiting: AbQuestion[] = [];
		let exhausted = false;
		const step = () => {
			while (waiting.length > 0 && questions.length < limit) {
				const question = waiting.shift()!;
				session.answer(question, choose(question));
				questions.push(question);
			}

			if (questions.length >= limit || (exhausted && waiting.length === 0)) {
				resolve();
			}
		};

		session.subscribe((event: AbEvent) => {
			switch (event.type) {
				case 'error': {
					reject(new Error(event.message));
					return;
				}

				case 'questions': {
					waiting.push(...event.questions);
					break;
				}

				case 'exhausted': {
					exhausted = true;
					break;
				}

				case 'ready':
				case 'store': {
					break;
				}
			}

			step();
		});
	});
	return {questions, summary: await session.close()};
}

test.serial('sentences where the models agree are skipped, and counted right, on a source where they mostly agree', async t => {
	const {file, options} = setup(t, 90);
	// What each model finds, straight from the models: the sentences where both find the same people.
	const texts = readJsonl<{text: string}>(options.source).map(line => line.text);
	const per = NerModel.load(models.per);
	const found = per.predict(texts).map(spans => spans.filter(span => span.label === 'PER').length);
	per.dispose();
	const agree = found.filter(count => count === 0).length;
	t.true(agree > texts.length / 2, `the models agree on ${agree} of ${texts.length}`);

	const {questions, summary} = await run(file, options, question => question.mapping['1'] === modelName(models.per) ? '1' : '2');
	t.is(questions.length, texts.length - agree);
	t.is(summary.identical, agree);
	t.deepEqual(summary.identicalByPair, [agree]);
	t.is(summary.answers, texts.length - agree);
	t.is(summary.models[0]!.name, modelName(models.per));
	t.is(summary.models[0]!.wins, texts.length - agree);
	t.is(summary.preferred, modelName(models.per));

	const database = JsonStore.open(file);
	const stored2 = await database.examples('ab');
	const stored = stored2.map(example => example.task);
	database.closeSync();
	t.is(stored.filter(task => task.identical === true).length, agree);
	t.true(stored.every(task => task._view_id === 'eval-ab'));
});

test.serial('a model saved to two folders agrees with itself on every sentence: nothing is asked', async t => {
	const {file, options} = setup(t, 4);
	const {questions, summary} = await run(file, {...options, models: [models.per, models.perCopy]}, () => '1');
	t.is(questions.length, 0);
	t.is(summary.identical, 76);
	t.is(summary.answers, 0);
});

test.serial('each answer stores the winning model, both outputs and the side mapping; the sides are random', async t => {
	const {file, options} = setup(t);
	const choices: AbChoice[] = ['1', '2', 'tie', 'skip'];
	const {questions} = await run(file, options, question => choices[question.id & 3]!, 24);
	const database = JsonStore.open(file);
	const stored2 = await database.examples('ab');
	const stored = stored2.map(example => example.task).filter(task => task.identical !== true);
	database.closeSync();
	t.is(stored.length, 24);
	for (const [index, task] of stored.entries()) {
		const question = questions[index]!;
		const choice = choices[question.id & 3]!;
		t.is(task._task_hash, question.id);
		t.is(task.answer, choice === 'skip' ? 'ignore' : 'accept');
		t.is(task.winner, choice === 'tie' ? 'tie' : (choice === 'skip' ? undefined : question.mapping[choice]));
		t.deepEqual(task.models, [modelName(models.per), modelName(models.none)]);
		t.deepEqual(task.mapping, question.mapping);
		t.deepEqual(Object.keys(task.outputs as object).sort(), [modelName(models.none), modelName(models.per)]);
	}

	const perOnLeft = questions.filter(question => question.mapping['1'] === modelName(models.per)).length;
	t.true(perOnLeft > 0 && perOnLeft < questions.length, `per was option 1 in ${perOnLeft} of ${questions.length}`);
});

test.serial('running the same command again resumes: no sentence is asked twice for a pair', async t => {
	const {file, options} = setup(t, 10);
	const first = await run(file, {...options, seed: 9}, () => '1', 10);
	const second = await run(file, {...options, seed: 9}, () => '2');
	const firstIds = new Set(first.questions.map(question => question.id));
	t.false(second.questions.some(question => firstIds.has(question.id)));
	t.is(first.questions.length + second.questions.length, second.summary.answers);
	t.is(second.summary.answers + second.summary.identical, 82);
});
