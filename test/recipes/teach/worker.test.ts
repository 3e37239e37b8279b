import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {loadBackend} from '../../../source/model/backend.js';
import {TeachWorker} from '../../../source/recipes/teach/worker.js';
import type {FromWorker, Question, WorkerOptions} from '../../../source/recipes/teach/types.js';
import {temporaryFolder} from '../../_helpers/temp.js';
import {tinyModel} from '../../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

function options(t: Parameters<typeof temporaryFolder>[0], texts: number): WorkerOptions {
	const folder = temporaryFolder(t);
	const names = ['Anna Smith', 'Li Wei', 'Maria Lopez', 'Omar Haddad'];
	const patterns = path.join(folder, 'patterns.jsonl');
	fs.writeFileSync(patterns, names.map(name => JSON.stringify({label: 'PER', pattern: name})).join('\n') + '\n');
	// One name a sentence: a window of 6 sentences has 6 pattern questions, fewer than the start asks for.
	const source = Array.from({length: texts}, (_, index) => ({text: `${names[index % 4]!} met the board in room ${index} on a rainy Tuesday.`}));
	// An untrained small model, sure of nothing: its own proposals stay under the bar, so the questions are the patterns'.
	const model = path.join(folder, 'model');
	tinyModel(4).save(model);
	return {
		model, labels: ['PER'], patterns, source, prefer: 'uncertain', bias: 0, backend: 'wasm', skipInputs: [], skipTasks: [], earlier: [], gold: [], seed: 0,
	};
}

test('the first questions come in one message of at least 8 (more than the first window\'s), or what there was after 200 ms', async t => {
	const messages: FromWorker[] = [];
	const worker = new TeachWorker(message => messages.push(message));
	const started = performance.now();
	await worker.handle({type: 'start', options: options(t, 300)});
	const elapsed = performance.now() - started;
	const batches = messages.filter(message => message.type === 'questions');
	t.is(batches.length, 1);
	const first = batches[0]!.questions;
	t.true(first.length >= 8 || elapsed >= 200, `${first.length} questions in ${elapsed.toFixed(0)} ms`);
	t.true(first.every(question => question.label === 'PER' && question.pattern !== undefined));
	t.is(new Set(first.map(question => question.id)).size, first.length);
	await worker.handle({type: 'stop'});
});

test('a source with fewer questions than the start asks for sends what it has, then says it is exhausted', async t => {
	const messages: FromWorker[] = [];
	const worker = new TeachWorker(message => messages.push(message));
	await worker.handle({type: 'start', options: options(t, 3)});
	const questions: Question[] = messages.flatMap(message => message.type === 'questions' ? message.questions : []);
	t.is(questions.length, 3);
	t.true(messages.some(message => message.type === 'exhausted'));
	await worker.handle({type: 'stop'});
});

test('the first questions come with a reserve from the sentences they leave out', async t => {
	const messages: FromWorker[] = [];
	const worker = new TeachWorker(message => messages.push(message));
	await worker.handle({type: 'start', options: options(t, 300)});
	const first = messages.find(message => message.type === 'questions') as Extract<FromWorker, {type: 'questions'}> | undefined;
	t.truthy(first);
	const reserve = first?.reserve ?? [];
	t.true(reserve.length > 0);
	// Each sentence's name is a pattern match, and a window asks 10: the reserve holds the matches past them, in other sentences.
	const asked = new Set(first?.questions.map(question => question.inputHash));
	t.true(reserve.every(question => question.pattern !== undefined && !asked.has(question.inputHash)));
	await worker.handle({type: 'stop'});
});
