import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {mergeAnswers, prepareInputs} from '../source/model/data.js';
import {SpanNetwork, defaultNetworkConfig} from '../source/model/network.js';
import {trainNetwork, predictSentences} from '../source/model/train.js';
import {scoreSpans} from '../source/model/metrics.js';
import type {Task} from '../source/store/task.js';

await tf.setBackend(process.env.B ?? 'wasm');
const read = (f: string) => fs.readFileSync(f, 'utf8').trim().split('\n').map(l => JSON.parse(l) as Task);
const limit = Number(process.env.N ?? 14041);
const train = read('../shared/datasets/conll2003_en/train.jsonl').slice(0, limit);
const test = read('../shared/datasets/conll2003_en/test.jsonl');
const labels = ['LOC', 'MISC', 'ORG', 'PER'];
const config = {...defaultNetworkConfig, labels, width: Number(process.env.W ?? 128), hidden: Number(process.env.H ?? 128), depth: Number(process.env.D ?? 4)};
let t = performance.now();
const trainData = prepareInputs(mergeAnswers(train), config);
const testData = prepareInputs(mergeAnswers(test), config);
console.log('prepare', Math.round(performance.now() - t), 'ms', trainData.report, testData.report.missedGold);
const network = SpanNetwork.create(config);
const epochs = Number(process.env.E ?? 3);
t = performance.now();
for await (const p of trainNetwork(network, trainData.sentences, {epochs, batchTokens: Number(process.env.BT ?? 2000), learnRate: Number(process.env.LR ?? 0.002)})) {
	if (p.batch % 50 === 0) console.log(p.epoch, p.batch, p.batches, p.loss.toFixed(4), Math.round(p.tokensPerSecond), 'tok/s', tf.memory().numTensors);
	if (p.epochLoss !== undefined) {
		const s0 = performance.now();
		const predicted = predictSentences(network, testData.sentences);
		const secs = (performance.now() - s0) / 1000;
		const scores = scoreSpans(testData.sentences.map((s, i) => ({gold: s.gold ?? [], predicted: predicted[i]!})), labels, testData.report.missedGold);
		console.log(`epoch ${p.epoch} loss ${p.epochLoss.toFixed(4)} train ${Math.round(p.tokensPerSecond)} tok/s elapsed ${Math.round((performance.now()-t)/1000)}s  test F1 ${scores.f1.toFixed(4)} P ${scores.precision.toFixed(3)} R ${scores.recall.toFixed(3)} predict ${Math.round(testData.report.tokens / secs)} tok/s`, Object.fromEntries(Object.entries(scores.per_label).map(([k, v]) => [k, v.f1.toFixed(3)])));
	}
}
