import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import {NerModel} from '../../source/model/model.js';
import {WordVectors} from '../../source/model/vectors.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyConfig} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

function writeVectors(t: ExecutionContext, content: string): string {
	const file = path.join(temporaryFolder(t), 'vectors.txt');
	fs.writeFileSync(file, content);
	return file;
}

test('a word2vec text file is read with or without its header, and words fall back to lower case', t => {
	const vectors = WordVectors.read(writeVectors(t, '3 2\nnurse 0.5 -1\nLeeds 2 3\nthe 0 0.25\n'));
	t.is(vectors.width, 2);
	t.deepEqual(vectors.words, ['nurse', 'Leeds', 'the']);
	t.is(vectors.row('Nurse'), 0);
	t.is(vectors.row('Leeds'), 1);
	t.is(vectors.row('porter'), -1);
	const output = new Float32Array(6);
	vectors.lookup(['NURSE', 'porter', 'Leeds'], output, 2, 0);
	t.deepEqual([...output], [0.5, -1, 0, 0, 2, 3]);
	t.is(WordVectors.read(writeVectors(t, 'nurse 1 2 3\n')).width, 3);
});

test('a bad vectors file names the file and line', t => {
	const file = writeVectors(t, 'nurse 1 2\nporter 1\n');
	t.throws(() => WordVectors.read(file), {message: `${file}:2: expected a word and 2 numbers, got 1 values.`});
	const notNumbers = writeVectors(t, 'nurse 1 x\n');
	t.throws(() => WordVectors.read(notNumbers), {message: `${notNumbers}:1: expected a word and 2 numbers, got 2 values (some are not numbers).`});
	t.throws(() => WordVectors.read('/nowhere/vectors.txt'), {message: /no such vectors file/});
});

test.serial('a model with vectors uses them, saves them, and loads them back', t => {
	const vectors = WordVectors.read(writeVectors(t, 'nurse 1 0 0 0\nleeds 0 1 0 0\nanna 0 0 1 0\n'));
	const model = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 2}, vectors);
	t.is(model.network.config.vectorWidth, 4);
	const texts = ['Anna works as a nurse in Leeds .'];
	const before = model.predict(texts, 0);
	const folder = path.join(temporaryFolder(t), 'model');
	model.save(folder);
	t.true(fs.existsSync(path.join(folder, 'vectors.bin')));
	const loaded = NerModel.load(folder);
	t.deepEqual(loaded.predict(texts, 0), before);
	t.deepEqual(loaded.network.vectors!.words, ['nurse', 'leeds', 'anna']);
	// Other vectors give other scores: the vectors are really an input.
	const other = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 2}, new WordVectors(['nurse', 'leeds', 'anna'], 4, new Float32Array(12).fill(3)));
	t.notDeepEqual(other.predict(texts, 0).map(spans => spans.map(span => span.score)), before.map(spans => spans.map(span => span.score)));
	fs.rmSync(path.join(folder, 'vectors.bin'));
	t.throws(() => NerModel.load(folder), {message: /vectors\.bin: missing\. The model was trained with word vectors/});
	for (const item of [model, loaded, other]) {
		item.dispose();
	}
});
