import path from 'node:path';
import {Worker} from 'node:worker_threads';
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs, type PreparedSentence} from '../../source/model/data.js';
import {NerModel} from '../../source/model/model.js';
import {packGroup, unpackGroup} from '../../source/model/pool/pack.js';
import {defaultScoreWorkers, ScorePool} from '../../source/model/pool/pool.js';
import {scoreSentences, scoringGroups} from '../../source/model/train.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyGold, tinyModel} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

/** Enough sentences for many scoring batches: the tiny gold data, many times over, with a changing word so no two batches are alike. */
function manySentences(model: NerModel): PreparedSentence[] {
	const tasks = Array.from({length: 40}, (_, round) => tinyGold().map(task => ({...task, text: `${task.text} ${'x'.repeat(round + 1)}`}))).flat();
	return prepareInputs(mergeAnswers(tasks), model.network.config).sentences;
}

function savedModel(t: Parameters<typeof temporaryFolder>[0]): NerModel {
	const folder = path.join(temporaryFolder(t), 'model');
	tinyModel(5).save(folder);
	return NerModel.load(folder);
}

test('helpers score as one: defaults by backend and cores', t => {
	t.is(defaultScoreWorkers('wasm', 2), 1);
	t.is(defaultScoreWorkers('cpu', 4), 3);
	t.is(defaultScoreWorkers('wasm', 16), 3);
	t.is(defaultScoreWorkers('wasm', 1), 0);
	t.is(defaultScoreWorkers('tensorflow', 16), 0);
});

test('a packed batch unpacks to the same words and candidates', t => {
	const model = tinyModel();
	const [group] = scoringGroups(manySentences(model).slice(0, 5));
	const unpacked = unpackGroup(packGroup(group!));
	t.deepEqual(unpacked, group!.map(sentence => ({words: sentence.words, candidates: sentence.candidates.map(({start, end}) => ({start, end}))})));
});

test.serial('a pool with a helper gives exactly the probabilities of scoreSentences, and leaves no tensors', async t => {
	const model = savedModel(t);
	const sentences = manySentences(model);
	t.true(scoringGroups(sentences).length >= 6);
	const alone = scoreSentences(model.network, sentences);
	const pool = ScorePool.start(model.folder!, {backend: 'wasm', workers: 1});
	try {
		t.is(await pool.loaded(), 1);
		const tensors = tf.memory().numTensors;
		const pooled = await pool.score(model.network, sentences);
		t.is(tf.memory().numTensors, tensors);
		t.true(pool.scoredByHelpers > 0, 'the helper scored some batches');
		t.is(pooled.length, alone.length);
		for (const [index, part] of alone.entries()) {
			t.deepEqual(Array.from(pooled[index]!), Array.from(part), `sentence ${index}`);
		}

		// A second job on the same pool.
		const again = await pool.score(model.network, sentences.slice(0, 50));
		t.deepEqual(again.map(part => Array.from(part)), alone.slice(0, 50).map(part => Array.from(part)));
	} finally {
		await pool.close();
		model.dispose();
	}
});

test.serial('a helper that cannot load is left out, with its reason, and this thread scores everything', async t => {
	const model = savedModel(t);
	const sentences = manySentences(model).slice(0, 100);
	const pool = ScorePool.start(path.join(temporaryFolder(t), 'missing'), {backend: 'wasm', workers: 1});
	try {
		t.is(await pool.loaded(), 0);
		t.is(pool.failures.length, 1);
		t.regex(pool.failures[0]!, /missing/u);
		const pooled = await pool.score(model.network, sentences);
		t.is(pool.scoredByHelpers, 0);
		t.deepEqual(pooled.map(part => Array.from(part)), scoreSentences(model.network, sentences).map(part => Array.from(part)));
	} finally {
		await pool.close();
		model.dispose();
	}
});

test.serial('a helper that stops in the middle of a job gives its batches back', async t => {
	const model = savedModel(t);
	const sentences = manySentences(model);
	const helpers: Worker[] = [];
	const pool = ScorePool.start(model.folder!, {
		backend: 'wasm', workers: 1, firstWorker(entry) {
			const worker = new Worker(entry);
			helpers.push(worker);
			return worker;
		},
	});
	try {
		t.is(await pool.loaded(), 1);
		const job = pool.score(model.network, sentences);
		// The helper has batches in flight now; end it.
		void helpers[0]!.terminate();
		const pooled = await job;
		t.deepEqual(pooled.map(part => Array.from(part)), scoreSentences(model.network, sentences).map(part => Array.from(part)));
	} finally {
		await pool.close();
		model.dispose();
	}
});

test.serial('predictInPool finds the spans predict finds', async t => {
	const model = savedModel(t);
	const texts = Array.from({length: 30}, (_, round) => tinyGold().map(task => `${task.text} ${'y'.repeat(round + 1)}`)).flat();
	const pool = ScorePool.start(model.folder!, {backend: 'wasm', workers: 1});
	try {
		await pool.loaded();
		const expected = model.predict(texts, 0.05);
		t.true(expected.flat().length > 0, 'some spans to compare');
		t.deepEqual(await model.predictInPool(pool, texts, 0.05), expected);
	} finally {
		await pool.close();
		model.dispose();
	}
});
