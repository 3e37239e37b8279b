import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import type {Evaluation} from '../../source/model/evaluate.js';
import {NerModel} from '../../source/model/model.js';
import {JsonStore, type Store} from '../../source/store/store.js';
import {inputHash} from '../../source/task/hash.js';
import {
	fromBaseLearnRate, headline, isHeldOut, trainRecipe, type TrainRecipeOptions,
} from '../../source/recipes/train.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyConfig, tinyGold} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

async function runTraining(database: Store | undefined, options: TrainRecipeOptions) {
	const run = trainRecipe(database, {
		overrides: tinyConfig, learnRate: 0.01, dropout: 0, batchTokens: 300, ...options,
	});
	const events = [];
	for (;;) {
		const step = await run.next();
		if (step.done) {
			return {result: step.value, events};
		}

		events.push(step.value);
	}
}

function writeJsonl(file: string, tasks: unknown[]) {
	fs.writeFileSync(file, tasks.map(task => JSON.stringify(task)).join('\n') + '\n');
}

test('the evaluation split keeps the same inputs when examples are added', t => {
	const texts = Array.from({length: 2000}, (_, index) => `Sentence number ${index} about a staff nurse`);
	const heldOut = (list: string[]) => new Set(list.filter(text => isHeldOut(inputHash({text}), 0.2)));
	const before = heldOut(texts.slice(0, 1000));
	const after = heldOut(texts);
	t.true(before.size > 150 && before.size < 250, `${before.size} held out of 1000`);
	t.true([...before].every(text => after.has(text)));
	t.deepEqual([...after].filter(text => texts.indexOf(text) < 1000), [...before]);
});

test.serial('train from a file writes model-best and model-last, with scores on the held-out split', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	writeJsonl(data, [...tinyGold(), ...tinyGold().map(task => ({...task, text: `${task.text} Really .`, spans: task.spans}))]);
	const output = path.join(folder, 'out');
	const {result, events} = await runTraining(undefined, {
		sources: [data], base: 'blank', evalSplit: 0.3, output, epochs: 15,
	});
	t.deepEqual(result.labels, ['LOC', 'PER']);
	t.is(result.epochs.length, 15);
	t.true(events.some(event => event.type === 'start' && event.start.evaluation !== undefined));
	t.true(fs.existsSync(path.join(output, 'model-best', 'model.json')));
	t.true(fs.existsSync(path.join(output, 'model-last', 'weights.bin')));
	const best = result.best.evaluation!.gold!;
	t.true(best.f1 > 0.5, `best F1 ${best.f1}`);
	const evaluation = JSON.parse(fs.readFileSync(path.join(output, 'model-best', 'evaluation.json'), 'utf8')) as {input_hashes: number[]};
	t.true(evaluation.input_hashes.length > 5);
	t.true(evaluation.input_hashes.every(hash => isHeldOut(hash, 0.3)));
	const history = JSON.parse(fs.readFileSync(path.join(output, 'model-last', 'history.json'), 'utf8')) as unknown[];
	t.is(history.length, 15);

	// Training on from that model prints its scores on the same set beside the new ones.
	const again = await runTraining(undefined, {
		sources: [data], base: output, evalSplit: 0.3, epochs: 1,
	});
	t.is(again.result.base!.gold!.f1, NerModel.load(output).meta.scores!.f1 as number);

	// --float16 saves both folders at half the size, and they load.
	const half = path.join(folder, 'half');
	await runTraining(undefined, {
		sources: [data], base: output, evalSplit: 0.3, epochs: 1, output: half, float16: true,
	});
	for (const name of ['model-best', 'model-last']) {
		t.is((JSON.parse(fs.readFileSync(path.join(half, name, 'model.json'), 'utf8')) as {dtype?: string}).dtype, 'float16');
		t.is(fs.statSync(path.join(half, name, 'weights.bin')).size * 2, fs.statSync(path.join(output, name, 'weights.bin')).size);
		NerModel.load(path.join(half, name)).dispose();
	}
});

test.serial('train reads datasets from the database and mixes gold with yes/no answers', async t => {
	const database = JsonStore.open(path.join(temporaryFolder(t), 'db.json'));
	const session = await database.startSession('gold');
	await database.addMany('gold', session, tinyGold());
	const binary = await database.startSession('binary');
	database.add('binary', binary, {
		text: 'Rahul Mehta flew to Kyiv .', spans: [{start: 0, end: 11, label: 'PER'}], answer: 'accept', _view_id: 'ner',
	});
	database.add('binary', binary, {
		text: 'Rahul Mehta flew to Kyiv .', spans: [{start: 20, end: 24, label: 'PER'}], answer: 'reject', _view_id: 'ner',
	});
	const {result, events} = await runTraining(database, {sources: ['gold', 'binary'], base: 'blank', epochs: 2});
	const start = events.find(event => event.type === 'start');
	t.is(start?.type === 'start' ? start.start.train.inputs : 0, 37);
	t.is(result.best.evaluation, undefined);
	database.closeSync();
});

test.serial('bad training input gives clear errors', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	writeJsonl(data, tinyGold());
	const database = JsonStore.open(path.join(folder, 'db.json'));
	await t.throwsAsync(runTraining(database, {sources: [data], base: 'blank', labels: ['JOB_TITLE']}), {message: '-l/--label: no example has the label "JOB_TITLE". The data has: LOC, PER.'});
	await t.throwsAsync(runTraining(database, {sources: ['nothing'], base: 'blank'}), {message: /"nothing" is neither a dataset in .*db\.json nor a file/});
	await database.ensureDataset('empty');
	await t.throwsAsync(runTraining(database, {sources: ['empty'], base: 'blank'}), {message: 'empty: no examples to train on.'});
	await t.throwsAsync(runTraining(database, {sources: [data], base: path.join(folder, 'no-model')}), {message: `${path.join(folder, 'no-model')}: no such model folder. Give a folder written by \`inkling train -o\`, or "blank".`});
	fs.mkdirSync(path.join(folder, 'broken'));
	fs.writeFileSync(path.join(folder, 'broken', 'model.json'), '{"inkling_model": 1,');
	await t.throwsAsync(runTraining(database, {sources: [data], base: path.join(folder, 'broken')}), {message: /broken\/model\.json: not valid JSON .*the model folder is damaged/});
	await t.throwsAsync(runTraining(database, {sources: [data], base: 'blank', evalSplit: 1}), {message: /-es\/--eval-split: 1 leaves nothing to train on/});
	const model = path.join(folder, 'model');
	await runTraining(database, {
		sources: [data], base: 'blank', output: model, epochs: 1,
	});
	await t.throwsAsync(runTraining(database, {sources: [data], base: model, vectors: data}), {message: /--vectors: .* already has its features; vectors can only be added when training from "blank"/});
	database.closeSync();
});

test.serial('training from a base rehearses the data the base was trained on, ends with a verdict on gold, and records its own scores', async t => {
	const folder = temporaryFolder(t);
	const gold = tinyGold();
	const baseData = path.join(folder, 'base.jsonl');
	writeJsonl(baseData, gold.slice(0, 24));
	const evalData = path.join(folder, 'eval.jsonl');
	writeJsonl(evalData, gold.slice(24));
	const base = path.join(folder, 'base');
	await runTraining(undefined, {
		sources: [baseData], base: 'blank', evalId: evalData, output: base, epochs: 8,
	});
	const baseMeta = NerModel.load(base).meta;
	t.deepEqual((baseMeta.training as {sources: string[]}).sources, [path.resolve(baseData)]);

	// Yes/no answers on new texts: one reject each.
	const answers = path.join(folder, 'answers.jsonl');
	writeJsonl(answers, gold.slice(24).map(task => ({
		text: `${task.text} Again .`, spans: [{start: 0, end: 3, label: 'LOC'}], answer: 'reject', _view_id: 'ner',
	})));
	const output = path.join(folder, 'next');
	const {result, events} = await runTraining(undefined, {
		sources: [answers], base, evalId: evalData, output, epochs: 2,
	});
	const {start} = (events.find(event => event.type === 'start')!);
	t.deepEqual(start.rehearsal?.sources, [path.resolve(baseData)]);
	t.is(start.rehearsal?.inputs, 24);
	t.deepEqual(start.rehearsal?.missing, []);
	t.deepEqual(start.kinds, {binary: 12, gold: 0});
	t.truthy(result.verdict);
	t.is(result.verdict!.inputs, 12);
	t.true(['better', 'worse', 'no difference'].includes(result.verdict!.verdict));
	t.true(result.verdict!.low <= result.verdict!.difference && result.verdict!.difference <= result.verdict!.high);
	// Each of the 12 gold inputs is one sentence, judged once sentence by sentence.
	const {sentences} = result.verdict!;
	t.is(sentences!.wins + sentences!.losses + sentences!.ties, 12);
	t.true(sentences!.p > 0 && sentences!.p <= 1);
	// The threshold was chosen against the base's errors on the same sentences: its counts are the verdict's.
	t.like(result.best.evaluation!.tuned!.sentences, {wins: sentences!.wins, losses: sentences!.losses, ties: sentences!.ties});
	// Its errors where it loses are counted on the same sentences: each lost sentence has at least one.
	const {losses} = result.verdict!;
	t.is(losses!.sentences, sentences!.losses);
	t.true(losses!.wrong + losses!.boundary + losses!.missed >= losses!.sentences);
	type Meta = {scores?: {f1: number}; training: {rehearsed: string[]; settings: {learnRate: number}}};
	const meta = NerModel.load(output).meta as Meta;
	t.is(meta.scores!.f1, result.best.evaluation!.gold!.f1);
	t.deepEqual(meta.training.rehearsed, [path.resolve(baseData)]);
	t.is(meta.training.settings.learnRate, 0.01);

	// Without rehearsal, only the answers; and with no rate given, from a base the smaller rate.
	const alone = await runTraining(undefined, {
		sources: [answers], base, evalId: evalData, epochs: 1, rehearse: false, learnRate: undefined, output: path.join(folder, 'alone'),
	});
	t.is(alone.events.find(event => event.type === 'start')!.start.rehearsal, undefined);
	t.is((NerModel.load(path.join(folder, 'alone')).meta as Meta).training.settings.learnRate, fromBaseLearnRate);
	// A base whose data moved says so.
	fs.renameSync(baseData, `${baseData}.moved`);
	const moved = await runTraining(undefined, {
		sources: [answers], base, evalId: evalData, epochs: 1,
	});
	t.deepEqual(moved.events.find(event => event.type === 'start')!.start.rehearsal?.missing, [path.resolve(baseData)]);
});

test.serial('on yes/no answers alone, the epoch is chosen by the mean of the accepted and rejected shares: predicting nothing is not best', t => {
	const nothing = {
		threshold: 0.5, gold: undefined, binary: {
			accepted: 10, acceptedFound: 0, rejected: 30, rejectedPredicted: 0, unjudged: 0,
		}, tokens: 0, seconds: 0, tokensPerSecond: 0, report: undefined as unknown as Evaluation['report'],
	};
	const some = {
		...nothing, binary: {
			accepted: 10, acceptedFound: 7, rejected: 30, rejectedPredicted: 9, unjudged: 3,
		},
	};
	t.is(headline(nothing), 0.5);
	t.true(headline(some)! > headline(nothing)!);
});

test.serial('training from a base on yes/no answers is scored on the gold the base held out, which neither model learns from', async t => {
	const folder = temporaryFolder(t);
	const gold = tinyGold();
	const baseData = path.join(folder, 'base.jsonl');
	writeJsonl(baseData, gold);
	const base = path.join(folder, 'base');
	await runTraining(undefined, {
		sources: [baseData], base: 'blank', evalSplit: 0.3, output: base, epochs: 4,
	});
	const baseHeld = new Set(gold.filter(task => isHeldOut(inputHash(task), 0.3)).map(task => inputHash(task)));
	t.true(baseHeld.size > 0);

	const answers = path.join(folder, 'answers.jsonl');
	writeJsonl(answers, gold.slice(0, 20).map(task => ({
		text: `${task.text} Again .`, spans: [{start: 0, end: 3, label: 'LOC'}], answer: 'reject', _view_id: 'ner',
	})));
	const {result, events} = await runTraining(undefined, {
		sources: [answers], base, evalSplit: 0.2, epochs: 2,
	});
	const {start} = (events.find(event => event.type === 'start')!);
	t.is(start.baseHeldOut, baseHeld.size);
	t.not(start.evaluationKind, 'binary');
	t.is(start.rehearsal!.available, gold.length - baseHeld.size, 'the held-out inputs are never rehearsed');
	t.is(result.verdict!.inputs, baseHeld.size, 'the verdict is on the base\'s held-out gold');
	t.truthy(result.best.evaluation!.gold);

	// The base's gold given again as training data: its held-out inputs stay held out.
	const again = await runTraining(undefined, {
		sources: [baseData, answers], base, evalSplit: 0.2, epochs: 1, rehearse: true,
	});
	const againStart = again.events.find(event => event.type === 'start')!.start;
	// Those of the new split (a part of the base's: both split by the hash) are in the evaluation set already.
	t.is(againStart.baseHeldOut, gold.filter(task => baseHeld.has(inputHash(task)) && !isHeldOut(inputHash(task), 0.2)).length);
	t.is(againStart.kinds.gold, gold.filter(task => !baseHeld.has(inputHash(task))).length);

	// With a gold evaluation set of its own, that is what it is scored on.
	const evalData = path.join(folder, 'eval.jsonl');
	writeJsonl(evalData, gold.slice(0, 10));
	const own = await runTraining(undefined, {
		sources: [answers], base, evalId: evalData, epochs: 1,
	});
	t.is(own.events.find(event => event.type === 'start')!.start.baseHeldOut, 0);
});
