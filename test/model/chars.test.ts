import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs, type PreparedSentence} from '../../source/model/data.js';
import {charIds} from '../../source/model/features.js';
import {NerModel} from '../../source/model/model.js';
import {makeBatch, tokenChars} from '../../source/model/network.js';
import {
	batchLoss, ScheduledAdam, scoreSentences, trainNetwork, trainStep,
} from '../../source/model/train.js';
import type {Task} from '../../source/task/task.js';
import {probeLargest} from '../_helpers/gradient.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyConfig, tinyGold} from '../_helpers/model-data.js';

const chars = {
	rows: 64, width: 4, filters: 6, maxChars: 6,
};

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

function charModel(seed = 1): NerModel {
	return NerModel.blank(['LOC', 'PER'], {...tinyConfig, chars, seed});
}

function prepare(model: NerModel, tasks: Task[]): PreparedSentence[] {
	return prepareInputs(mergeAnswers(tasks), model.network.config).sentences;
}

test('charIds: a code point under half the rows is its own row; others share the upper half; a long word keeps its first and last characters', t => {
	t.deepEqual(charIds('Ab', {rows: 256, maxChars: 20}), [65, 98]);
	const accented = charIds('é€é', {rows: 256, maxChars: 20});
	t.true(accented.every(row => row >= 128 && row < 256), `é€é at ${accented.join(', ')}`);
	t.is(accented[0], accented[2]);
	t.not(accented[0], accented[1]);
	t.deepEqual(charIds('abcdefgh', {rows: 256, maxChars: 5}), [...'abcgh'].map(c => c.codePointAt(0)));
	// Astral characters are one character, not two halves of a pair.
	t.is(charIds('a😀b', {rows: 256, maxChars: 20}).length, 3);
});

test('a batch pads each token\'s characters to the longest word\'s, padding marked', t => {
	const model = charModel();
	const batch = makeBatch([{words: ['Leeds', 'is'], candidates: []}, {words: ['a'], candidates: []}], model.network.config);
	const {ids, mask, skip, length} = tokenChars(batch, chars);
	t.is(length, 5);
	t.is(ids.length, 2 * 2 * 5);
	t.deepEqual([...mask.subarray(5, 10)], [1, 1, 0, 0, 0]);
	t.deepEqual([...skip.subarray(5, 10)], [0, 0, 1, 1, 1]);
	// The second sentence's padding token has no characters.
	t.deepEqual([...mask.subarray(15, 20)], [0, 0, 0, 0, 0]);
	t.is(ids[10], charIds('a', chars)[0]);
	model.dispose();
});

test.serial('the loss gradient of the character CNN matches finite differences', t => {
	const model = charModel(3);
	const {network} = model;
	const sentences = prepare(model, tinyGold().slice(0, 4));
	const batch = makeBatch(sentences, network.config);
	const embedded = tf.variable(tf.tensor2d(network.embed(batch), [batch.sentences * batch.length, 32]));
	const characters = tf.variable(tf.tensor2d(network.embedChars(batch), [tokenChars(batch, chars).ids.length, chars.width]));
	const loss = () => batchLoss(network, batch, sentences, embedded, undefined, characters);
	const checkedVariables = [network.parameters.char_w!, network.parameters.char_b!, characters];
	const {grads} = tf.variableGrads(loss, [...checkedVariables, embedded]);
	const epsilon = 1e-3;
	let checked = 0;
	for (const variable of checkedVariables) {
		const probes = probeLargest(variable, grads[variable.name]!, loss, epsilon);
		t.true(Math.abs(probes[0]!.analytic) > 0, `${variable.name} has a gradient`);
		for (const {index, analytic, lower, here, upper} of probes) {
			// The maximum over characters and the relus have kinks: where a step crosses one, the two one-sided differences part, and the gradient must lie between them.
			const right = (upper - here) / epsilon;
			const left = (here - lower) / epsilon;
			const slack = (0.02 * Math.abs(analytic)) + 1e-4;
			t.true(analytic >= Math.min(left, right) - slack && analytic <= Math.max(left, right) + slack, `${variable.name}[${index}]: one-sided differences ${left} and ${right}, analytic ${analytic}`);
			checked++;
		}
	}

	t.is(checked, 9);
	tf.dispose(Object.values(grads));
	embedded.dispose();
	characters.dispose();
	model.dispose();
});

test.serial('a training step moves the character rows the batch used, and only those, and leaves no tensors behind', t => {
	const model = charModel();
	const {network} = model;
	const sentences = prepare(model, tinyGold()).slice(0, 8);
	const batch = makeBatch(sentences, network.config);
	const optimizer = new ScheduledAdam(0.01);
	const variables = Object.values(network.parameters);
	const settings = {dropout: 0.1, random: Math.random, learnRate: 0.01};
	const before = Float32Array.from(network.chars!.values);
	trainStep(network, batch, sentences, optimizer, variables, settings);
	const afterFirst = tf.memory().numTensors;
	trainStep(network, batch, sentences, optimizer, variables, settings);
	t.is(tf.memory().numTensors, afterFirst);
	const {ids, mask} = tokenChars(batch, chars);
	const used = new Set([...ids].filter((_, index) => mask[index] === 1));
	const moved = (row: number) => network.chars!.values.subarray(row * chars.width, (row + 1) * chars.width).some((value, d) => value !== before[(row * chars.width) + d]);
	t.true([...used].every(row => moved(row)));
	const unused = Array.from({length: chars.rows}, (_, row) => row).filter(row => !used.has(row));
	t.true(unused.length > 0);
	t.false(unused.some(row => moved(row)), 'a character no text holds keeps its embedding');
	optimizer.dispose();
	model.dispose();
});

test.serial('a model with a character CNN learns its data, and saving and loading keeps its predictions', async t => {
	const model = charModel();
	const gold = tinyGold();
	for await (const _ of trainNetwork(model.network, prepare(model, gold), {
		epochs: 30, learnRate: 0.01, dropout: 0, batchTokens: 200,
	})) {
		// Training runs as the generator is read.
	}

	const texts = gold.slice(0, 5).map(task => task.text);
	const predicted = model.predict(texts);
	t.deepEqual(predicted[0]!.map(span => [texts[0]!.slice(span.start, span.end), span.label]), gold[0]!.spans!.map(span => [texts[0]!.slice(span.start, span.end), span.label]));
	const before = tf.memory().numTensors;
	scoreSentences(model.network, prepare(model, gold));
	t.is(tf.memory().numTensors, before);

	const folder = path.join(temporaryFolder(t), 'model');
	model.save(folder);
	const loaded = NerModel.load(folder);
	t.deepEqual(loaded.network.config.chars, chars);
	t.deepEqual(loaded.predict(texts), predicted);
	loaded.dispose();
	model.dispose();

	// A folder whose weights lack the character table is damaged, and says so.
	const file = path.join(folder, 'model.json');
	const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {weights: Array<{name: string; length: number}>};
	const table = manifest.weights.find(weight => weight.name === 'embed_chars')!;
	table.name = 'something_else';
	fs.writeFileSync(file, JSON.stringify(manifest));
	t.throws(() => NerModel.load(folder), {message: `${file}: the weights lack embed_chars: the folder is damaged.`});
});
