import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {NerModel} from '../../source/model/model.js';
import {taskTokens} from '../../source/recipes/manual/session.js';
import {Database} from '../../source/store/database.js';
import {spanToTokens} from '../../source/text/spans.js';
import type {Task} from '../../source/task/task.js';
import {abModels} from '../_helpers/ab-models.js';
import {tinyGold} from '../_helpers/model-data.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {Terminal} from '../_helpers/tmux.js';
import {bin} from '../_helpers/bin.js';

// The real CLI in a pseudo-terminal (tmux): five sentences annotated with two
// labels by keys alone, then the stored spans compared to exact offsets.

const texts = [
	'Acme Corp opened an office in New York City last week.',
	'Globex hired three engineers in Paris.',
	'The weather was mild.',
	'Initech moved from Austin to Denver.',
	'Hooli is not a real company.',
	'Spare text for later.',
	'Another spare line.',
];

function setup(t: Parameters<typeof temporaryFolder>[0]) {
	const folder = temporaryFolder(t);
	const source = path.join(folder, 'news.jsonl');
	fs.writeFileSync(source, texts.map(text => JSON.stringify({text, meta: {source: 'test'}})).join('\n') + '\n');
	return {folder, source, db: path.join(folder, 'db.json')};
}

function start(t: Parameters<typeof temporaryFolder>[0], command: string[], db: string): Terminal {
	const terminal = Terminal.start([process.execPath, bin, ...command], {environment: {INKLING_DB: db, INKLING_BACKEND: 'wasm'}});
	t.teardown(() => {
		terminal.close();
	});
	return terminal;
}

function stored(file: string, dataset: string): Task[] {
	const database = Database.open(file);
	const examples = database.examples(dataset).map(example => example.task);
	database.closeSync();
	return examples;
}

const spansOf = (task: Task | undefined) => (task?.spans ?? []).map(({
	start, end, token_start, token_end, label,
}) => ({
	start, end, token_start, token_end, label,
}));

/** Press keys one at a time, each after the screen shows what the one before did. */
async function press(terminal: Terminal, steps: Array<[string | string[], RegExp]>): Promise<void> {
	for (const [keys, after] of steps) {
		terminal.keys(...(Array.isArray(keys) ? keys : [keys]));
		await terminal.waitFor(after);
	}
}

test.serial('manual: five sentences, two labels, by keyboard alone; the store holds the exact spans', async t => {
	const {source, db} = setup(t);
	const terminal = start(t, ['manual', 'news', source, '-l', 'ORG,LOCATION'], db);
	await terminal.waitFor(/Acme Corp opened/);
	await terminal.waitFor(/1 ORG {2}2 LOCATION/);
	await press(terminal, [
		// A two-token span: shift+right from the first token, then 1.
		['S-Right', /selected "Acme Corp"/],
		['1', /\[Acme Corp ORG]/],
		// An overlapping span is refused with a message.
		['2', /Spans cannot overlap: \[Acme Corp ORG] is in the way/],
		// Five tokens right, then a three-token selection with v.
		[['l', 'l', 'l', 'l', 'l'], /token 7\/12/],
		['v', /selected "New"/],
		[['l', 'l'], /selected "New York City"/],
		['2', /\[New York City LOCATION]/],
		['Enter', /Globex hired/],
		['1', /\[Globex ORG]/],
		// A span labelled, then deleted.
		[['l', 'l', 'l'], /token 4\/7/],
		['1', /\[engineers ORG]/],
		['d', /token 4\/7(?![\s\S]*\[engineers ORG])/],
		[['l', 'l'], /token 6\/7/],
		['2', /\[Paris LOCATION]/],
		['Enter', /The weather was mild/],
		['Enter', /Initech moved/],
		['1', /\[Initech ORG]/],
		['Enter', /Hooli is not/],
		// Back to the previous example, which keeps its span, and edit it: word jumps and end.
		['u', /\[Initech ORG] moved/],
		[['w', 'w', 'w'], /token 4\/7/],
		['2', /\[Austin LOCATION]/],
		['End', /token 7\/7/],
		['h', /token 6\/7/],
		['2', /\[Denver LOCATION]/],
		['Enter', /Hooli is not/],
		['1', /\[Hooli ORG]/],
		['x', /Spare text/],
		['Space', /Another spare line/],
	]);
	await terminal.waitFor(/6 this session: ✓ 4 accept · ✗ 1 reject · · 1 skip · 6 in news/);
	terminal.keys('q');
	await terminal.waitForExit();
	t.regex(terminal.transcript(), /Annotated 6 in this session \(4 accept, 1 reject, 1 skip\); 6 in news/);

	const tasks = stored(db, 'news');
	t.deepEqual(tasks.map(task => [task.text, task.answer]), [
		[texts[0], 'accept'],
		[texts[1], 'accept'],
		[texts[2], 'accept'],
		[texts[3], 'accept'],
		[texts[4], 'reject'],
		[texts[5], 'ignore'],
	]);
	t.deepEqual(spansOf(tasks[0]), [
		{
			start: 0, end: 9, token_start: 0, token_end: 1, label: 'ORG',
		},
		{
			start: 30, end: 43, token_start: 6, token_end: 8, label: 'LOCATION',
		},
	]);
	t.deepEqual(spansOf(tasks[1]), [
		{
			start: 0, end: 6, token_start: 0, token_end: 0, label: 'ORG',
		},
		{
			start: 32, end: 37, token_start: 5, token_end: 5, label: 'LOCATION',
		},
	]);
	t.deepEqual(spansOf(tasks[2]), []);
	t.deepEqual(spansOf(tasks[3]), [
		{
			start: 0, end: 7, token_start: 0, token_end: 0, label: 'ORG',
		},
		{
			start: 19, end: 25, token_start: 3, token_end: 3, label: 'LOCATION',
		},
		{
			start: 29, end: 35, token_start: 5, token_end: 5, label: 'LOCATION',
		},
	]);
	t.deepEqual(spansOf(tasks[4]), [{
		start: 0, end: 5, token_start: 0, token_end: 0, label: 'ORG',
	}]);
	t.is(tasks[0]!._view_id, 'ner_manual');
	t.deepEqual(tasks[0]!.meta, {source: 'test'});

	// The same command again resumes on the first example not answered.
	const again = start(t, ['manual', 'news', source, '-l', 'ORG,LOCATION'], db);
	await again.waitFor(/Another spare line/);
	await again.waitFor(/0 this session.* 6 in news/);
	again.keys('q');
	await again.waitForExit();
});

test.serial('manual: SIGHUP (a dropped connection) ends the session with every answer saved', async t => {
	const {source, db} = setup(t);
	const terminal = start(t, ['manual', 'news', source, '-l', 'ORG,LOCATION'], db);
	await terminal.waitFor(/Acme Corp opened/);
	await press(terminal, [
		['1', /\[Acme ORG]/],
		['Enter', /Globex hired/],
		['Enter', /The weather/],
	]);
	process.kill(terminal.pid, 'SIGHUP');
	await terminal.waitForExit();
	const tasks = stored(db, 'news');
	t.is(tasks.length, 2);
	t.deepEqual(spansOf(tasks[0]), [{
		start: 0, end: 4, token_start: 0, token_end: 0, label: 'ORG',
	}]);
});

test.serial('correct: starts from the model\'s spans; corrections are stored with exact offsets', async t => {
	const folder = temporaryFolder(t);
	const {per} = await abModels(folder);
	const texts = tinyGold().slice(0, 4).map(task => task.text);
	const source = path.join(folder, 'people.jsonl');
	fs.writeFileSync(source, texts.map(text => JSON.stringify({text})).join('\n') + '\n');
	const model = NerModel.load(per);
	const predicted = model.predict(texts.slice(0, 2)).map(spans => spans.filter(span => span.label === 'PER'));
	model.dispose();
	// The model finds the person in the first two sentences: the test needs that.
	t.true(predicted.every(spans => spans.length > 0), JSON.stringify(predicted));
	const first = predicted[0]![0]!;
	const db = path.join(folder, 'db.json');
	const terminal = start(t, ['correct', 'people', per, source, '-l', 'PER,LOC'], db);
	await terminal.waitFor(/model on wasm/);
	const shown = `[${texts[0]!.slice(first.start, first.end)} PER]`;
	await terminal.waitFor(new RegExp(shown.replaceAll(/[[\]\\.^$*+?()|{}]/gu, String.raw`\$&`)));
	const tokens = taskTokens(texts[0]!);
	const firstToken = tokens.findIndex(token => token.start === first.start);
	// Delete the model's span, then label its first token LOC instead: keys only.
	terminal.keys(...Array.from({length: firstToken}, () => 'l'));
	await terminal.waitFor(new RegExp(`token ${firstToken + 1}/${tokens.length}`));
	terminal.keys('d');
	await terminal.waitFor(/token \d+\/\d+(?![\s\S]*PER])/);
	terminal.keys('2');
	await terminal.waitFor(/LOC]/);
	terminal.keys('Enter');
	// The second sentence is accepted as the model had it.
	await terminal.waitFor(/1 this session/);
	await terminal.waitFor(/PER]/);
	terminal.keys('Enter');
	await terminal.waitFor(/2 this session/);
	terminal.keys('q');
	await terminal.waitForExit();
	const tasks = stored(db, 'people');
	t.is(tasks.length, 2);
	const others = predicted[0]!.slice(1).map(span => ({...span, ...spanToTokens(tokens, span)}));
	t.deepEqual(spansOf(tasks[0]), [{
		start: tokens[firstToken]!.start, end: tokens[firstToken]!.end, token_start: firstToken, token_end: firstToken, label: 'LOC',
	}, ...others.map(span => ({
		start: span.start, end: span.end, token_start: span.token_start, token_end: span.token_end, label: span.label,
	}))].sort((a, b) => a.start - b.start));
	const secondTokens = taskTokens(texts[1]!);
	t.deepEqual(spansOf(tasks[1]), predicted[1]!.map(span => ({
		start: span.start, end: span.end, ...spanToTokens(secondTokens, span), label: span.label,
	})));
});

test.serial('manual: without a terminal it says to use one, and with no labels it says how to give them', async t => {
	const {source, db} = setup(t);
	const {spawnSync} = await import('node:child_process');
	const piped = spawnSync(process.execPath, [bin, 'manual', 'news', source, '-l', 'ORG'], {encoding: 'utf8', env: {...process.env, INKLING_DB: db}});
	t.is(piped.status, 1);
	t.regex(piped.stderr, /manual needs a terminal/);
	t.notRegex(piped.stderr, /at .*\.ts:\d+/);
	const terminal = start(t, ['manual', 'news', source], db);
	await terminal.waitForExit();
	t.regex(terminal.transcript(), /No labels: give them with -l/);
});

test.serial('silver-to-gold: each text starts with the spans answered yes, never one answered no, and is saved as gold', async t => {
	const folder = temporaryFolder(t);
	const {per} = await abModels(folder);
	const gold = tinyGold().slice(0, 3);
	const model = NerModel.load(per);
	const predicted = model.predict(gold.map(task => task.text));
	model.dispose();
	const person = predicted[0]!.find(span => span.label === 'PER');
	t.truthy(person, 'the model finds the person in the first text');
	const db = path.join(folder, 'db.json');
	const database = Database.open(db);
	const session = database.startSession('silver');
	const binary = (text: string, span: {start: number; end: number; label: string}, answer: 'accept' | 'reject') => database.add('silver', session, {
		text, spans: [span], answer, _view_id: 'ner',
	});
	const place = gold[0]!.spans!.find(span => span.label === 'LOC')!;
	// No to the model's own person, yes to the place; on the second text, yes to its person.
	binary(gold[0]!.text, {start: person!.start, end: person!.end, label: 'PER'}, 'reject');
	binary(gold[0]!.text, {start: place.start, end: place.end, label: 'LOC'}, 'accept');
	const second = gold[1]!.spans!.find(span => span.label === 'PER')!;
	binary(gold[1]!.text, {start: second.start, end: second.end, label: 'PER'}, 'accept');
	await database.close();

	const terminal = start(t, ['silver-to-gold', 'silver', 'gold', per], db);
	await terminal.waitFor(/model on wasm/);
	const placeShown = `[${gold[0]!.text.slice(place.start, place.end)} LOC]`;
	const screen = await terminal.waitFor(new RegExp(placeShown.replaceAll(/[[\]\\.^$*+?()|{}]/gu, String.raw`\$&`)));
	t.false(screen.includes(`[${gold[0]!.text.slice(person!.start, person!.end)} PER]`), screen);
	terminal.keys('Enter');
	await terminal.waitFor(/1 this session/);
	await terminal.waitFor(/PER]/);
	terminal.keys('Enter');
	await terminal.waitFor(/No more examples/);
	terminal.keys('q');
	await terminal.waitForExit();
	const tasks = stored(db, 'gold');
	t.is(tasks.length, 2);
	t.is(tasks[0]!._view_id, 'ner_manual');
	const keyOf = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label}`;
	t.true(tasks[0]!.spans!.some(span => keyOf(span) === keyOf(place)));
	t.false(tasks[0]!.spans!.some(span => keyOf(span) === keyOf({...person!, label: 'PER'})));
	t.true(tasks[1]!.spans!.some(span => keyOf(span) === keyOf(second)));
});

test.serial('review: agreed examples are saved with --auto-accept; a differing one shows both versions, tab takes the other, and it is saved edited', async t => {
	const folder = temporaryFolder(t);
	const db = path.join(folder, 'db.json');
	const database = Database.open(db);
	const sentence = texts[0]!;
	const spans = {
		alice: [{
			start: 0, end: 9, token_start: 0, token_end: 1, label: 'ORG',
		}, {
			start: 30, end: 43, token_start: 6, token_end: 8, label: 'LOCATION',
		}],
		bob: [{
			start: 0, end: 4, token_start: 0, token_end: 0, label: 'ORG',
		}, {
			start: 30, end: 38, token_start: 6, token_end: 7, label: 'LOCATION',
		}],
	};
	for (const who of ['alice', 'bob'] as const) {
		const session = database.startSession('news', {name: who});
		database.add('news', session, {
			text: sentence, tokens: taskTokens(sentence), spans: spans[who], answer: 'accept', _view_id: 'ner_manual',
		});
		database.add('news', session, {
			text: texts[1]!, tokens: taskTokens(texts[1]!), spans: [], answer: 'accept', _view_id: 'ner_manual',
		});
	}

	// Carol annotated one text alone: nothing to compare.
	database.add('news', database.startSession('news', {name: 'carol'}), {text: texts[2]!, spans: [], answer: 'accept'});
	await database.close();

	const terminal = start(t, ['review', 'final', 'news', '--auto-accept'], db);
	await terminal.waitFor(/▸ 1\. news-alice · accept\s*\n\s*\[Acme Corp ORG] opened an office in \[New York City LOCATION]/);
	await terminal.waitFor(/ {2}2\. news-bob · accept\s*\n\s*\[Acme ORG] Corp opened an office in \[New York LOCATION] City/);
	t.regex(terminal.transcript(), /1 example to review; 1 whose versions agree saved to final; 1 annotated once left out/);
	await press(terminal, [
		['Tab', /▸ 2\. news-bob/],
		// Bob's ORG, Alice's place: delete Bob's LOCATION and label the three tokens.
		[['w', 'w', 'w', 'w', 'w', 'w'], /token 7\/12 · on LOCATION/],
		['d', /token 7\/12(?![\s\S]*\[New York LOCATION])/],
		[['S-Right', 'S-Right'], /selected "New York City"/],
		['2', /\[New York City LOCATION]/],
		['Enter', /No more examples/],
	]);
	terminal.keys('q');
	await terminal.waitForExit();
	const tasks = stored(db, 'final');
	t.deepEqual(tasks.map(task => task.text), [texts[1], sentence]);
	t.deepEqual(spansOf(tasks[1]), [spans.bob[0], spans.alice[1]]);
});

test.serial('correct --update: the model learns from accepted examples, is saved at the end, and a restart goes on with it', async t => {
	const folder = temporaryFolder(t);
	const {per} = await abModels(folder);
	const texts = tinyGold().slice(0, 6).map(task => task.text);
	const source = path.join(folder, 'people.jsonl');
	fs.writeFileSync(source, texts.map(text => JSON.stringify({text})).join('\n') + '\n');
	const db = path.join(folder, 'db.json');
	const terminal = start(t, ['correct', 'people', per, source, '-l', 'PER,LOC', '--update'], db);
	await terminal.waitFor(/model on wasm/);
	for (let index = 1; index <= 3; index++) {
		await terminal.waitFor(/PER]/);
		terminal.keys('Enter');
		await terminal.waitFor(new RegExp(`${index} this session`));
	}

	await terminal.waitFor(/model: 1 update on 2 accepted/);
	terminal.keys('q');
	await terminal.waitForExit();
	const saved = path.join(folder, 'db.correct', 'people');
	t.regex(terminal.transcript(), /Updated model saved to .*db\.correct\/people/);
	const meta = JSON.parse(fs.readFileSync(path.join(saved, 'model.json'), 'utf8')) as {training?: {answers?: number}};
	t.is(meta.training?.answers, 3);

	const again = start(t, ['correct', 'people', per, source, '-l', 'PER,LOC', '--update'], db);
	await again.waitFor(/model on wasm/);
	again.keys('q');
	await again.waitForExit();
	t.regex(again.transcript(), /continuing the updated model saved in .*db\.correct\/people/);
});

test.serial('correct --update: a real hangup (the terminal gone, as when SSH drops) saves the updated model and every answer', async t => {
	const folder = temporaryFolder(t);
	const {per} = await abModels(folder);
	const texts = tinyGold().slice(0, 6).map(task => task.text);
	const source = path.join(folder, 'people.jsonl');
	fs.writeFileSync(source, texts.map(text => JSON.stringify({text})).join('\n') + '\n');
	const db = path.join(folder, 'db.json');
	const terminal = start(t, ['correct', 'people', per, source, '-l', 'PER,LOC', '--update'], db);
	await terminal.waitFor(/model on wasm/);
	for (let index = 1; index <= 3; index++) {
		await terminal.waitFor(/PER]/);
		terminal.keys('Enter');
		await terminal.waitFor(new RegExp(`${index} this session`));
	}

	await terminal.hangUp();
	const meta = JSON.parse(fs.readFileSync(path.join(folder, 'db.correct', 'people', 'model.json'), 'utf8')) as {training?: {answers?: number}};
	t.is(meta.training?.answers, 3, 'the saved model learnt from every accepted example');
	t.is(stored(db, 'people').length, 3);
});
