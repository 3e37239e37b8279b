import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {loadBackend} from '../../../source/model/backend.js';
import {NerModel} from '../../../source/model/model.js';
import {TeachLoop} from '../../../source/recipes/teach/loop.js';
import {readPatterns} from '../../../source/recipes/teach/patterns.js';
import type {Question} from '../../../source/recipes/teach/types.js';
import {inputHash} from '../../../source/task/hash.js';
import {tinyConfig, tinyGold} from '../../_helpers/model-data.js';
import {temporaryFolder} from '../../_helpers/temp.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

const texts = () => tinyGold().map(task => ({text: task.text}));

function blank(): NerModel {
	return NerModel.blank(['PER'], {...tinyConfig, seed: 3});
}

function drain(loop: TeachLoop): Question[] {
	const all: Question[] = [];
	for (let questions = loop.nextWindow(); questions; questions = loop.nextWindow()) {
		all.push(...questions);
	}

	return all;
}

test('questions never start or end with punctuation, and the source ends with undefined', t => {
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {labels: ['PER'], minPriority: 0, window: 5});
	const questions = drain(loop);
	t.true(questions.length > 0);
	for (const question of questions) {
		t.notRegex(question.span.text!, /^[\p{P}\p{S}]|[\p{P}\p{S}]$/u);
		t.is(question.text.slice(question.span.start, question.span.end), question.span.text!);
	}

	t.is(loop.nextWindow(), undefined);
	t.true(loop.exhausted);
	loop.dispose();
	model.dispose();
});

test('inputs answered before are skipped', t => {
	const model = blank();
	const all = texts();
	const skipInputs = new Set(all.slice(0, 30).map(item => inputHash(item)));
	const loop = new TeachLoop(model.network, all, {labels: ['PER'], minPriority: 0, skipInputs});
	const asked = new Set(drain(loop).map(question => question.text));
	t.true(asked.size > 0);
	for (const item of all.slice(0, 30)) {
		t.false(asked.has(item.text));
	}

	loop.dispose();
	model.dispose();
});

test('patterns propose spans a blank model gives no weight, and accepting them teaches the model', t => {
	const folder = temporaryFolder(t);
	const file = path.join(folder, 'patterns.jsonl');
	fs.writeFileSync(file, ['Anna Smith', 'Rahul Mehta', 'Li Wei'].map(name => JSON.stringify({label: 'PER', pattern: name})).join('\n'));
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {
		labels: ['PER'], patterns: readPatterns(file), updateEvery: 2, learnRate: 0.02, steps: 5,
	});
	const questions = loop.nextWindow()!;
	const fromPattern = questions.filter(question => question.pattern !== undefined);
	t.true(fromPattern.length >= 2);
	const [first] = fromPattern;
	const before = loop.rescore([first!])[0]!.score;
	for (const question of fromPattern) {
		loop.answer(question, 'accept');
	}

	t.true(loop.updateDue);
	t.is(typeof loop.update(), 'number');
	const after = loop.rescore([first!])[0]!.score;
	t.true(after > before, `${after} > ${before}`);
	t.is(loop.trained, fromPattern.length);
	loop.dispose();
	model.dispose();
});

test('a rejected proposal loses probability after an update, and a forgotten answer is not learnt', t => {
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {
		labels: ['PER'], minPriority: 0, updateEvery: 1, learnRate: 0.02, steps: 5, prefer: 'high',
	});
	const questions = loop.nextWindow()!;
	const question = questions[0]!;
	const before = loop.rescore([question])[0]!.score;
	loop.answer(question, 'reject');
	loop.update();
	t.true(loop.rescore([question])[0]!.score < before);
	const other = questions.find(item => item.inputHash !== question.inputHash)!;
	loop.answer(other, 'accept');
	loop.forget(other);
	t.false(loop.updateDue);
	t.is(loop.update(), undefined);
	loop.dispose();
	model.dispose();
});

test('an update and a rescore leave no tensors behind', t => {
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {labels: ['PER'], minPriority: 0, updateEvery: 1});
	const questions = loop.nextWindow()!;
	loop.answer(questions[0]!, 'accept');
	loop.update();
	const tensors = tf.memory().numTensors;
	loop.answer(questions[1]!, 'reject');
	loop.update();
	loop.rescore(questions);
	loop.evaluate();
	t.is(tf.memory().numTensors, tensors);
	loop.dispose();
	model.dispose();
});

test('live F1 on a gold set is reported', t => {
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {labels: ['PER']}, {gold: tinyGold().slice(0, 10)});
	const evaluation = loop.evaluate();
	t.is(typeof evaluation?.gold?.f1, 'number');
	loop.dispose();
	model.dispose();
});

test('a window where nothing reaches the least priority still asks its best proposal, so a model sure of "no entity" does not read the source dry', t => {
	const model = blank();
	// No proposal reaches a priority of 2: each window asks exactly one, its best.
	const loop = new TeachLoop(model.network, texts(), {labels: ['PER'], minPriority: 2, window: 5});
	const windows: Question[][] = [];
	for (let questions = loop.nextWindow(); questions; questions = loop.nextWindow()) {
		windows.push(questions);
	}

	t.true(windows.length >= 3);
	t.true(windows.every(questions => questions.length === 1), JSON.stringify(windows.map(questions => questions.length)));
	// And the one asked is the window's most uncertain (the highest priority).
	const reference = new TeachLoop(model.network, texts(), {
		labels: ['PER'], minPriority: 0, window: 5, perWindow: 1,
	});
	t.deepEqual(windows[0]!.map(question => question.id), reference.nextWindow()!.map(question => question.id));
	model.dispose();
});

test('an update with a sentence limit learns from the oldest answered sentences and leaves the rest pending', t => {
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {labels: ['PER'], minPriority: 0, window: 5});
	const questions = drain(loop);
	// One question from each of 12 sentences, one answer each.
	const bySentence = [...new Map(questions.map(question => [question.inputHash, question])).values()].slice(0, 12);
	t.is(bySentence.length, 12);
	for (const question of bySentence) {
		loop.answer(question, 'reject');
	}

	t.is(loop.pending, 12);
	t.not(loop.update(8), undefined);
	t.is(loop.trained, 8);
	t.is(loop.pending, 4);
	t.true(loop.updateDue);
	// An undone answer of a sentence still pending is not counted.
	loop.forget(bySentence[11]!);
	t.is(loop.pending, 3);
	t.not(loop.update(), undefined);
	t.is(loop.trained, 11);
	t.is(loop.pending, 0);
	t.is(loop.update(), undefined);
	loop.dispose();
	model.dispose();
});

test('a window\'s reserve is its best proposals it does not ask, one a sentence, from sentences without a question, and leaves the questions as they were', t => {
	const model = blank();
	// A bar nothing reaches: every proposal is under it.
	const loop = new TeachLoop(model.network, texts(), {labels: ['PER'], window: 10, minPriority: 1.01});
	const reference = new TeachLoop(model.network, texts(), {labels: ['PER'], window: 10, minPriority: 1.01});
	const window = loop.readWindow(10, 4)!;
	t.deepEqual(window.questions.map(question => question.id), reference.nextWindow()!.map(question => question.id));
	t.is(window.questions.length, 1, 'the window\'s best one is asked, as always when nothing reaches the bar');
	t.is(window.reserve.length, 4);
	const [asked] = window.questions;
	const sentences = new Set(window.reserve.map(question => question.inputHash));
	t.is(sentences.size, 4);
	t.false(sentences.has(asked!.inputHash));
	for (const question of window.reserve) {
		t.true(question.priority <= asked!.priority);
	}

	t.deepEqual(loop.readWindow(10, 0)!.reserve, []);
	loop.dispose();
	reference.dispose();
	model.dispose();
});

test('proposals over the bar that a window does not ask (past its limit) come first in its reserve', t => {
	const model = blank();
	const loop = new TeachLoop(model.network, texts(), {
		labels: ['PER'], window: 10, minPriority: 0, perWindow: 2, perSentence: 1,
	});
	const window = loop.readWindow(10, 4)!;
	t.is(window.questions.length, 2);
	t.is(window.reserve.length, 4);
	const lowestAsked = Math.min(...window.questions.map(question => question.priority));
	const asked = new Set(window.questions.map(question => question.inputHash));
	for (const question of window.reserve) {
		t.false(asked.has(question.inputHash));
		t.true(question.priority <= lowestAsked);
	}

	loop.dispose();
	model.dispose();
});

test('a window ends inside one long text after ten windows\' worth of pieces, so the first question does not wait for the whole text to be read', t => {
	const model = blank();
	const line = Array.from({length: 20_000}, (_, day) => `Anna Smith met Peter Jones in Leeds on day ${day}.`).join(' ');
	const loop = new TeachLoop(model.network, [{text: line}], {labels: ['PER'], minPriority: 0, window: 3});
	const first = loop.readWindow(3);
	const second = loop.readWindow(3);
	t.truthy(first);
	t.truthy(second);
	t.false(loop.exhausted);
	const texts = (questions: Question[]) => new Set(questions.map(question => question.text));
	t.true(texts(first!.questions).size > 0);
	t.true(texts(first!.questions).size <= 30);
	t.true(texts(second!.questions).size > 0);
	t.false([...texts(second!.questions)].some(text => texts(first!.questions).has(text)));
	loop.dispose();
	model.dispose();
});

test('a window ends with the text in which it reaches its size: questions are chosen among whole texts', t => {
	const model = blank();
	const text = (name: string) => ({text: Array.from({length: 4}, (_, day) => `${name} Smith met Peter Jones in Leeds on day ${day}.`).join(' ')});
	const loop = new TeachLoop(model.network, [text('Anna'), text('Maria'), text('Oscar')], {labels: ['PER'], minPriority: 0});
	// Three sentences asked for: the window reads the whole first text (four), and no more.
	const first = loop.readWindow(3)!;
	const second = loop.readWindow(3)!;
	t.true(first.questions.length > 0 && first.questions.every(question => question.text.startsWith('Anna')));
	t.true(second.questions.length > 0 && second.questions.every(question => question.text.startsWith('Maria')));
	loop.dispose();
	model.dispose();
});
