import fs from 'node:fs';
import path from 'node:path';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs, type PreparedSentence} from '../../source/model/data.js';
import {makeBatch} from '../../source/model/network.js';
import {NerModel} from '../../source/model/model.js';
import {
	batchLoss, ScheduledAdam, scoreSentences, trainNetwork, trainStep,
} from '../../source/model/train.js';
import {probeLargest} from '../_helpers/gradient.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyGold, tinyModel} from '../_helpers/model-data.js';
import type {Task} from '../../source/task/task.js';

const run = promisify(execFile);

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

function prepare(model: NerModel, tasks: Task[]): PreparedSentence[] {
	return prepareInputs(mergeAnswers(tasks), model.network.config).sentences;
}

async function train(model: NerModel, tasks: Task[], epochs: number) {
	for await (const _ of trainNetwork(model.network, prepare(model, tasks), {
		epochs, learnRate: 0.01, dropout: 0, batchTokens: 200,
	})) {
		// Training runs as the generator is read.
	}
}

test.serial('the loss gradient matches finite differences', t => {
	const model = tinyModel(3);
	const sentences = prepare(model, tinyGold().slice(0, 4));
	const batch = makeBatch(sentences, model.network.config);
	const variables = model.network.parameters;
	const embedded = tf.variable(tf.tensor2d(model.network.embed(batch), [batch.sentences * batch.length, 32]));
	const loss = () => batchLoss(model.network, batch, sentences, embedded);
	const {grads} = tf.variableGrads(loss, [variables.conv0_w!, variables.span_start!, variables.out_w!, embedded]);
	const epsilon = 1e-3;
	let checked = 0;
	for (const variable of [variables.conv0_w!, variables.span_start!, variables.out_w!, embedded]) {
		for (const {index, analytic, lower, upper} of probeLargest(variable, grads[variable.name]!, loss, epsilon)) {
			const numeric = (upper - lower) / (2 * epsilon);
			t.true(Math.abs(numeric - analytic) <= (0.02 * Math.abs(analytic)) + 1e-4, `${variable.name}[${index}]: numeric ${numeric}, analytic ${analytic}`);
			checked++;
		}
	}

	t.is(checked, 12);
	tf.dispose(Object.values(grads));
	embedded.dispose();
	model.dispose();
});

test.serial('predicting and training leave no tensors behind', async t => {
	const model = tinyModel();
	const sentences = prepare(model, tinyGold());
	scoreSentences(model.network, sentences);
	const before = tf.memory().numTensors;
	scoreSentences(model.network, sentences);
	t.is(tf.memory().numTensors, before);
	const optimizer = new ScheduledAdam(0.01);
	const variables = Object.values(model.network.parameters);
	const batch = makeBatch(sentences.slice(0, 8), model.network.config);
	const settings = {dropout: 0.1, random: Math.random, learnRate: 0.01};
	trainStep(model.network, batch, sentences.slice(0, 8), optimizer, variables, settings); // Creates Adam's slots
	const afterFirst = tf.memory().numTensors;
	trainStep(model.network, batch, sentences.slice(0, 8), optimizer, variables, settings);
	t.is(tf.memory().numTensors, afterFirst);
	optimizer.dispose();
	model.dispose();
	await Promise.resolve();
});

test.serial('a trained model finds the entities of its training data, and saving and loading keeps its predictions', async t => {
	const model = tinyModel();
	const gold = tinyGold();
	await train(model, gold, 30);
	const texts = gold.slice(0, 5).map(task => task.text);
	const predicted = model.predict(texts);
	const found = predicted.flat().length;
	t.true(found >= 8, `found ${found} spans`);
	t.deepEqual(predicted[0]!.map(span => [texts[0]!.slice(span.start, span.end), span.label]), gold[0]!.spans!.map(span => [texts[0]!.slice(span.start, span.end), span.label]));

	const folder = path.join(temporaryFolder(t), 'model');
	model.save(folder, {backend: 'wasm'});
	t.true(fs.existsSync(path.join(folder, 'model.json')));
	const loaded = NerModel.load(folder);
	t.deepEqual(loaded.predict(texts), predicted);
	t.is(loaded.meta.backend, 'wasm');
	loaded.dispose();
	model.dispose();
});

test.serial('the span layer in JS gives the tensor version\'s probabilities, for every candidate, and leaves no tensors', async t => {
	const model = tinyModel();
	await train(model, tinyGold(), 5);
	const sentences = prepare(model, tinyGold());
	const batch = makeBatch(sentences, model.network.config);
	const before = tf.memory().numTensors;
	const inJs = model.network.predict(batch, 'js');
	t.is(tf.memory().numTensors, before);
	const withTensors = model.network.predict(batch, 'tensors');
	t.is(inJs.length, batch.starts.length * model.network.config.labels.length);
	t.is(inJs.length, withTensors.length);
	let largest = 0;
	for (const [index, value] of inJs.entries()) {
		largest = Math.max(largest, Math.abs(value - withTensors[index]!));
	}

	t.true(largest < 1e-5, `largest difference ${largest}`);
	// Trained, the probabilities are spread out: the comparison is not of constants.
	t.true(Math.max(...inJs) > 0.5 && Math.min(...inJs) < 0.1);
	model.dispose();
});

for (const [dilations, chars] of [[undefined, undefined], [[1, 2, 3], undefined], [undefined, {
	rows: 64, width: 4, filters: 6, maxChars: 5,
}]] as const) {
	test.serial(`prediction's encoder (convolutions) gives the logits of the one training differentiates (shifted slices), dilations ${dilations?.join(', ') ?? 'none'}, ${chars ? 'a character CNN (each word once)' : 'no characters'}`, async t => {
		const model = tinyModel(1, {...(dilations ? {depth: dilations.length, dilations: [...dilations]} : {}), ...(chars ? {chars} : {})});
		await train(model, tinyGold(), 5);
		// Sentences of different lengths, so padding and sentence edges are in the batch.
		const batch = makeBatch(prepare(model, tinyGold().slice(0, 12)), model.network.config);
		const logits = [true, false].map(differentiable => {
			const tensor = tf.tidy(() => model.network.logits(batch, undefined, undefined, differentiable));
			const values = tensor.dataSync();
			tensor.dispose();
			return values;
		});
		const [forTraining, forPrediction] = logits as [Float32Array, Float32Array];
		t.is(forTraining.length, forPrediction.length);
		let largest = 0;
		for (const [index, value] of forTraining.entries()) {
			largest = Math.max(largest, Math.abs(value - forPrediction[index]!));
		}

		t.true(largest < 1e-4, `largest difference ${largest}`);
		t.true(Math.max(...forTraining) - Math.min(...forTraining) > 1);
		model.dispose();
	});
}

test.serial('wasm and cpu give the same probabilities within 1e-4, with a character CNN', async t => {
	const model = tinyModel(1, {
		chars: {
			rows: 64, width: 4, filters: 6, maxChars: 8,
		},
	});
	await train(model, tinyGold(), 5);
	const folder = path.join(temporaryFolder(t), 'model');
	model.save(folder);
	model.dispose();
	const helper = path.resolve(import.meta.dirname, '../_helpers/probabilities.ts');
	const [wasm, cpu] = await Promise.all(['wasm', 'cpu'].map(async backend => {
		const {stdout} = await run(process.execPath, ['--import=tsx', helper, folder, backend]);
		return JSON.parse(stdout) as number[][];
	}));
	t.is(wasm!.length, 3);
	let largest = 0;
	for (const [s, part] of wasm!.entries()) {
		t.is(part.length, cpu![s]!.length);
		for (const [index, value] of part.entries()) {
			largest = Math.max(largest, Math.abs(value - cpu![s]![index]!));
		}
	}

	t.true(largest < 1e-4, `largest difference ${largest}`);
});

test.serial('an accept raises the probability of its span and a reject lowers it', async t => {
	const model = tinyModel(5);
	await train(model, tinyGold().slice(0, 12), 3);
	const text = 'Maria Lopez flew from Pune to see family .';
	const span = {start: 0, end: 11, label: 'PER'};
	const probability = () => {
		const [sentence] = prepare(model, [{text}]);
		const scores = scoreSentences(model.network, [sentence!])[0]!;
		const c = sentence!.candidates.findIndex(candidate => candidate.start === 0 && candidate.end === 1);
		return scores[(c * 2) + 1]!; // Label 1 is PER
	};

	const start = probability();
	const answer = (verdict: 'accept' | 'reject') => ({
		text, spans: [span], answer: verdict, _view_id: 'ner',
	} satisfies Task);
	await train(model, [answer('accept')], 3);
	const accepted = probability();
	t.true(accepted > start, `accept: ${start} -> ${accepted}`);
	await train(model, [answer('reject')], 6);
	const rejected = probability();
	t.true(rejected < accepted, `reject: ${accepted} -> ${rejected}`);
	model.dispose();
});

test.serial('a text given twice gets the same spans twice, not a double set', async t => {
	const model = tinyModel();
	await train(model, tinyGold(), 10);
	const {text} = tinyGold()[0]!;
	const [once] = model.predict([text]);
	const twice = model.predict([text, 'Something else .', text]);
	t.true(once!.length > 0);
	t.deepEqual(twice[0], once);
	t.deepEqual(twice[2], once);
	model.dispose();
});

test.serial('a 1 MB text is predicted in pieces with offsets into the whole text', t => {
	const model = tinyModel();
	const sentence = 'Anna Smith works as a nurse in Leeds and ';
	const text = sentence.repeat(Math.ceil(1_000_000 / sentence.length));
	const [spans] = model.predict([text], 0);
	t.true(spans!.length > 1000);
	t.true(spans!.every(span => span.start >= 0 && span.end <= text.length && span.start < span.end && text.slice(span.start, span.end).trim() === text.slice(span.start, span.end)));
	model.dispose();
});

test('ScheduledAdam: the rate set before a step is the rate of that step (0 moves no weight, then 0.5 does)', t => {
	const weight = tf.variable(tf.tensor1d([1, 2]));
	const optimizer = new ScheduledAdam(0.01);
	const gradient = tf.tensor1d([1, -1]);
	optimizer.rate = 0;
	optimizer.applyGradients([{name: weight.name, tensor: gradient}]);
	t.deepEqual([...weight.dataSync()], [1, 2]);
	optimizer.rate = 0.5;
	optimizer.applyGradients([{name: weight.name, tensor: gradient}]);
	const [first, second] = weight.dataSync();
	// Adam's first step moves each weight by about the rate, against its gradient.
	t.true(Math.abs(first! - 0.5) < 0.01, String(first));
	t.true(Math.abs(second! - 2.5) < 0.01, String(second));
	tf.dispose([weight, gradient]);
	optimizer.dispose();
});

test.serial('small data is cut into at least minBatches batches an epoch, none under 200 tokens', async t => {
	const model = tinyModel(2);
	// 300 sentences of 10 tokens: 3,000 tokens.
	const tasks: Task[] = Array.from({length: 300}, (_, index) => ({
		text: `Visitor${index} from Leeds met Anna in York on a day`, spans: [{start: 0, end: `Visitor${index}`.length, label: 'PER'}], answer: 'accept',
	}));
	const sentences = prepare(model, tasks);
	const batchesAnEpoch = async (minBatches: number) => {
		const steps = trainNetwork(model.network, sentences, {epochs: 1, batchTokens: 2000, minBatches});
		const first = await steps.next();
		await steps.return(undefined);
		return first.done ? 0 : first.value.batches;
	};

	// 3,000 tokens at 2,000 a batch would be 2 batches.
	t.is(await batchesAnEpoch(5), 5);
	t.is(await batchesAnEpoch(10), 10);
	// 30 batches would be 100 tokens each: 200 is the floor.
	t.is(await batchesAnEpoch(30), 15);
	model.dispose();
});
