import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFile} from 'node:child_process';
import test from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../../source/model/data.js';
import {evaluateInputs, evaluateTasks} from '../../source/model/evaluate.js';
import {NerModel} from '../../source/model/model.js';
import {trainNetwork} from '../../source/model/train.js';
import type {Task} from '../../source/task/task.js';
import {UserError} from '../../source/errors.js';
import {ScorePool} from '../../source/model/pool/pool.js';
import {
	compareModels, comparisonJson, comparisonTable, signed,
} from '../../source/recipes/compare.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyConfig, tinyGold, tinyModel} from '../_helpers/model-data.js';
import {bin} from '../_helpers/bin.js';

await loadBackend({prefer: 'wasm'});

/** Gold to score on: the tiny gold set and the same sentences reworded, so a better-trained model scores better but not perfectly. */
function goldSet(): Task[] {
	return [
		...tinyGold(),
		...tinyGold().map(task => {
			const text = `Today ${task.text}`;
			return {...task, text, spans: task.spans!.map(span => ({...span, start: span.start + 6, end: span.end + 6}))};
		}),
	];
}

async function trainedModel(folder: string, epochs: number, seed: number, labels?: string[]): Promise<string> {
	const model = labels ? NerModel.blank(labels, {...tinyConfig, seed}) : tinyModel(seed);
	const {sentences} = prepareInputs(mergeAnswers(tinyGold().slice(0, 24)), model.network.config);
	for await (const _ of trainNetwork(model.network, sentences, {
		epochs, learnRate: 0.01, dropout: 0, batchTokens: 200, seed,
	})) {
		// Training runs as the generator is read.
	}

	model.save(folder);
	model.dispose();
	return folder;
}

/** Two models, saved once for every test: A trained briefly, B trained longer. */
const modelsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-compare-'));
const models = {
	a: await trainedModel(path.join(modelsFolder, 'a'), 2, 1),
	b: await trainedModel(path.join(modelsFolder, 'b'), 25, 2),
};

test.after.always(() => {
	fs.rmSync(modelsFolder, {recursive: true, force: true});
});

test.serial('each model\'s scores in the comparison equal eval\'s scores for it', async t => {
	const {a, b} = models;
	const tasks = goldSet();
	const comparison = await compareModels(tasks, [a, b]);
	t.deepEqual(comparison.labels, ['LOC', 'PER']);
	t.is(comparison.inputs, tasks.length);
	for (const [index, folder] of [a, b].entries()) {
		const model = NerModel.load(folder);
		const alone = evaluateTasks(model.network, tasks);
		model.dispose();
		t.deepEqual(comparison.models[index]!.scores, alone.gold!);
		t.is(comparison.models[index]!.name, folder);
	}

	const [modelA, modelB] = comparison.models;
	t.true(modelB!.scores.f1 > modelA!.scores.f1, `A ${modelA!.scores.f1}, B ${modelB!.scores.f1}`);
	const [difference] = comparison.differences;
	t.is(difference!.model, b);
	t.is(difference!.base, a);
	t.is(difference!.f1, modelB!.scores.f1 - modelA!.scores.f1);
	t.is(difference!.per_label.PER, modelB!.scores.per_label.PER!.f1 - modelA!.scores.per_label.PER!.f1);
	t.true(difference!.low <= difference!.f1 && difference!.f1 <= difference!.high, JSON.stringify(difference));
	t.true(difference!.low < difference!.high);
});

test.serial('the table shows F1 per label and model, the difference and its interval', async t => {
	const {a, b} = models;
	const comparison = await compareModels(goldSet(), [a, b], {iterations: 500, seed: 3});
	const table = comparisonTable(comparison);
	const [modelA, modelB] = comparison.models;
	const [difference] = comparison.differences;
	t.true(table.includes(`A  P ${modelA!.scores.precision.toFixed(3)}  R ${modelA!.scores.recall.toFixed(3)}  F1 ${modelA!.scores.f1.toFixed(3)}  ${a}`), table);
	const row = ['LOC'.padEnd(16), modelA!.scores.per_label.LOC!.f1.toFixed(3).padStart(9), modelB!.scores.per_label.LOC!.f1.toFixed(3).padStart(9), signed(difference!.per_label.LOC!).padStart(9)].join('');
	t.true(table.split('\n').includes(row), table);
	t.regex(table, /^F1 +A +B +B − A$/m);
	t.true(table.includes(`F1 difference B − A: ${signed(difference!.f1)} (95% CI ${signed(difference!.low)} to ${signed(difference!.high)}), 500 paired bootstrap samples over 72 gold inputs`), table);
	// Every gold sentence is judged once, and the line gives the same counts.
	const {sentences} = difference!;
	t.is(sentences.wins + sentences.losses + sentences.ties, comparison.models[0]!.items.reduce((sum, item) => sum + item.sentenceErrors.length, 0));
	t.true(table.includes(`Sentence by sentence, B against A: fewer errors in ${sentences.wins}, more in ${sentences.losses}, as many in ${sentences.ties}`), table);
	t.is(difference!.losses.sentences, sentences.losses);
	// The weaker model against the stronger loses sentences: the line counts its errors there, each such sentence at least one.
	const reversed = await compareModels(goldSet(), [b, a], {iterations: 200, seed: 3});
	const {losses, sentences: reversedSentences} = reversed.differences[0]!;
	t.true(losses.sentences > 0);
	t.is(losses.sentences, reversedSentences.losses);
	t.true(losses.wrong + losses.boundary + losses.missed >= losses.sentences, JSON.stringify(losses));
	t.true(comparisonTable(reversed).includes(`Where B makes more errors than A (${losses.sentences} gold sentence`), comparisonTable(reversed));
	// The same seed gives the same interval.
	const again = await compareModels(goldSet(), [a, b], {iterations: 500, seed: 3});
	t.deepEqual(again.differences, comparison.differences);
	const json = comparisonJson(comparison) as {models: Array<{f1: number}>; differences: Array<{f1: number}>};
	t.is(json.models[1]!.f1, modelB!.scores.f1);
	t.is(json.differences[0]!.f1, difference!.f1);
});

test.serial('per-input counts add up to the totals, with unpredictable gold spans and yes/no answers', async t => {
	const {b} = models;
	const tasks: Task[] = [
		...goldSet().slice(0, 10),
		// A gold span cut inside a token, which the model cannot predict: a miss of this input.
		{text: 'Anna Smithson works in Leeds .', spans: [{start: 0, end: 10, label: 'PER'}, {start: 23, end: 28, label: 'LOC'}], answer: 'accept'},
		{
			text: 'Li Wei flew to Kyiv .', spans: [{start: 0, end: 6, label: 'PER'}], answer: 'accept', _view_id: 'ner',
		},
	];
	const model = NerModel.load(b);
	const {evaluation, items} = await evaluateInputs(model.network, mergeAnswers(tasks));
	const alone = evaluateTasks(model.network, tasks);
	model.dispose();
	t.deepEqual(evaluation.gold, alone.gold);
	t.deepEqual(evaluation.binary, alone.binary);
	t.deepEqual(evaluation.report, alone.report);
	t.is(items.length, 11);
	t.true(items.every(item => item.sentenceKinds.length === item.sentenceErrors.length));
	const sum = (field: 'tp' | 'fp' | 'fn') => items.reduce((total, item) => total + item[field], 0);
	t.deepEqual({tp: sum('tp'), fp: sum('fp'), fn: sum('fn')}, {tp: alone.gold!.tp, fp: alone.gold!.fp, fn: alone.gold!.fn});
	t.is(alone.report.missedGold.PER, 1);
	t.true(items[10]!.fn >= 1);
});

test.serial('a pool of helper threads holding both models gives the same comparison', async t => {
	const {a, b} = models;
	const many = Array.from({length: 6}, (_, round) => goldSet().map(task => ({...task, text: `${task.text}${' .'.repeat(round)}`}))).flat();
	const pool = ScorePool.start([a, b], {backend: 'wasm', workers: 1});
	try {
		t.is(await pool.loaded(), 1);
		const pooled = await compareModels(many, [a, b], {iterations: 200, seed: 5, pool});
		t.true(pool.scoredByHelpers > 0);
		const alone = await compareModels(many, [a, b], {iterations: 200, seed: 5});
		// All but the times.
		const untimed = (comparison: typeof alone) => ({...comparison, models: comparison.models.map(({evaluation: {seconds, tokensPerSecond, ...evaluation}, ...model}) => ({...model, evaluation}))});
		t.deepEqual(untimed(pooled), untimed(alone));
		t.true(pooled.differences[0]!.low < pooled.differences[0]!.high);
	} finally {
		await pool.close();
	}
});

test.serial('models with different labels cannot be compared', async t => {
	const {a} = models;
	const other = await trainedModel(path.join(temporaryFolder(t), 'per-only'), 1, 4, ['PER']);
	const error = await t.throwsAsync(compareModels(goldSet(), [a, other]), {instanceOf: UserError});
	t.is(error.message, `The models have different labels: ${a} knows LOC, PER, but ${other} knows PER. Compare models trained for the same labels.`);
});

test.serial('comparing without gold data, or with a missing model, is a clear error', async t => {
	const {a, b} = models;
	const binary = goldSet().map(task => ({...task, _view_id: 'ner'}));
	await t.throwsAsync(compareModels(binary, [a, b]), {instanceOf: UserError, message: /^No gold \(complete\) annotations to score against/});
	const missing = path.join(temporaryFolder(t), 'nope');
	await t.throwsAsync(compareModels(goldSet(), [a, missing]), {instanceOf: UserError, message: /nope: no such model folder/});
});

type Result = {code: number; stdout: string; stderr: string};

async function inkling(args: string[]): Promise<Result> {
	return new Promise(resolve => {
		execFile(process.execPath, [bin, ...args], {env: {...process.env, NO_COLOR: '1'}}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

test.serial('eval --compare prints the table, and --json the numbers, from the command line', async t => {
	const {a, b} = models;
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, goldSet().map(task => JSON.stringify(task)).join('\n') + '\n');
	const database = ['--db', path.join(folder, 'db.json'), '--backend', 'wasm'];
	const expected = await compareModels(goldSet(), [a, b]);
	const table = await inkling(['eval', data, a, '--compare', b, ...database]);
	t.is(table.code, 0, table.stderr);
	t.is(table.stdout, comparisonTable(expected) + '\n');
	const json = await inkling(['eval', data, a, '--compare', `${a},${b}`, '--json', ...database]);
	t.is(json.code, 0, json.stderr);
	t.is(json.stdout, JSON.stringify(comparisonJson(expected), null, 2) + '\n');
	const alone = await inkling(['eval', data, a, '--compare', a, ...database]);
	t.is(alone.code, 1);
	t.is(alone.stderr, `inkling: --compare: name one or more other model folders to score beside ${a}, comma-separated.\n`);
});
