import path from 'node:path';
import {execFile} from 'node:child_process';
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {agreedTask, answerTask} from '../../../source/recipes/eval-ab/answers.js';
import {
	datasetVerdict, summarizeDataset, type summaryJson, summaryText,
} from '../../../source/recipes/eval-ab/summary.js';
import type {AbChoice, AbQuestion, Side} from '../../../source/recipes/eval-ab/types.js';
import {JsonStore} from '../../../source/store/store.js';
import {temporaryFolder} from '../../_helpers/temp.js';
import {bin} from '../../_helpers/bin.js';

function question(id: number, models: readonly [string, string], first: string): AbQuestion {
	const other = first === models[0] ? models[1] : models[0];
	return {
		id, inputHash: id, text: `Sentence ${id}`, meta: {}, models, mapping: {1: first, 2: other}, outputs: {[models[0]]: [], [models[1]]: []}, agreed: [],
	};
}

/** A database where `new` beats `old` 20 to 2 (sides alternating), with 3 ties, 1 skip and 4 identical sentences. */
async function twoModels(t: Parameters<typeof temporaryFolder>[0]): Promise<string> {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = JsonStore.open(file);
	const session = await database.startSession('ab');
	const models = ['models/old', 'models/new'] as const;
	let id = 0;
	const answer = (winner: string | 'tie' | 'skip') => {
		id++;
		const first = id % 2 === 0 ? models[0] : models[1];
		const side: Side = winner === first ? '1' : '2';
		const choice: AbChoice = winner === 'tie' || winner === 'skip' ? winner : side;
		database.add('ab', session, answerTask(question(id, models, first), choice, session));
	};

	for (let index = 0; index < 20; index++) {
		answer('models/new');
	}

	for (const winner of ['models/old', 'models/old', 'tie', 'tie', 'tie', 'skip']) {
		answer(winner);
	}

	for (let index = 0; index < 4; index++) {
		database.add('ab', session, agreedTask({
			id: 1000 + index, inputHash: 1000 + index, text: `Same ${index}`, models, spans: [], meta: {},
		}, session));
	}

	database.closeSync();
	return file;
}

type Result = {code: number; stdout: string; stderr: string};

async function inkling(args: string[], db: string): Promise<Result> {
	return new Promise(resolve => {
		execFile(process.execPath, [bin, ...args], {env: {...process.env, NO_COLOR: '1', INKLING_DB: db}}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

test('a dataset\'s summary counts wins by model, ties, skips and identical sentences, whichever side won', async t => {
	const database = JsonStore.open(await twoModels(t));
	t.teardown(async () => database.close());
	const summary = await summarizeDataset(database, 'ab');
	t.like(summary, {
		answers: 26, decisive: 22, ties: 3, skipped: 1, identical: 4, preferred: 'models/new',
	});
	t.deepEqual(summary.identicalByPair, [4]);
	t.deepEqual(summary.models.map(model => [model.name, model.wins, model.losses, model.ties]), [['models/old', 2, 20, 3], ['models/new', 20, 2, 3]]);
	t.regex(summary.verdict, /^models\/new is preferred over models\/old \(p < 0\.001\)$/);
});

test('the summary text gives counts, shares with 95% intervals, the sign test, the verdict and eval --compare', async t => {
	const database = JsonStore.open(await twoModels(t));
	t.teardown(async () => database.close());
	const text = summaryText(await summarizeDataset(database, 'ab'));
	t.is(text, [
		'eval-ab: 26 answers in ab (22 picked a model, 3 ties, 1 skipped); 4 sentences not asked because both models gave the same spans.',
		'',
		'  model       wins  losses  ties  share  95% interval',
		'  models/old     2      20     3     9%         3–28%',
		'  models/new    20       2     3    91%        72–97%',
		'',
		'  models/old vs models/new: 2 to 20, 3 ties, 4 identical; sign test p < 0.001',
		'',
		'Verdict: models/new is preferred over models/old (p < 0.001)',
		'With a gold dataset, `inkling eval GOLD models/old --compare models/new` scores the models on it without asking anyone: the cheaper test.',
	].join('\n'));
});

test('three or more models are ranked', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = JsonStore.open(file);
	t.teardown(async () => database.close());
	const session = await database.startSession('ab');
	let id = 0;
	const games: Array<[readonly [string, string], string, number]> = [[['a', 'b'], 'b', 8], [['a', 'c'], 'c', 9], [['b', 'c'], 'c', 7], [['b', 'c'], 'b', 1]];
	for (const [models, winner, count] of games) {
		for (let index = 0; index < count; index++) {
			database.add('ab', session, answerTask(question(++id, models, winner), '1', session));
		}
	}

	const summary = await summarizeDataset(database, 'ab');
	t.deepEqual(summary.ranking.map(rank => rank.name), ['c', 'b', 'a']);
	const text = summaryText(summary);
	t.regex(text, /Ranking \(Bradley–Terry strength; win rate with 95% interval\):\n {2}1\. c +\d+\.\d\d +94% +\d+–\d+%\n {2}2\. b/);
	t.regex(text, /eval GOLD a --compare b,c/);
});

test('--summary on a dataset with no eval-ab answers, or no dataset, says so', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = JsonStore.open(file);
	t.teardown(async () => database.close());
	await t.throwsAsync(async () => datasetVerdict(database, 'nothing'), {instanceOf: UserError, message: /There is no dataset "nothing"/});
	await database.startSession('empty');
	await t.throwsAsync(async () => datasetVerdict(database, 'empty'), {instanceOf: UserError, message: /empty holds no eval-ab answers/});
});

test('inkling eval-ab --summary prints the verdict without a terminal, and --json prints it for scripts', async t => {
	const file = await twoModels(t);
	const text = await inkling(['eval-ab', 'ab', '--summary'], file);
	t.is(text.code, 0, text.stderr);
	t.regex(text.stdout, /^eval-ab: 26 answers in ab/);
	t.regex(text.stdout, /Verdict: models\/new is preferred over models\/old \(p < 0\.001\)/);
	const json = await inkling(['ner.eval-ab', 'ab', 'models/old', 'models/new', 'ads.jsonl', '--summary', '--json'], file);
	t.is(json.code, 0, json.stderr);
	const parsed = JSON.parse(json.stdout) as ReturnType<typeof summaryJson>;
	t.like(parsed, {
		dataset: 'ab', answers: 26, decisive: 22, ties: 3, skipped: 1, identical: 4, preferred: 'models/new', more_answers: 0,
	});
	t.like((parsed.models as unknown[])[1], {name: 'models/new', wins: 20, losses: 2});
	t.like((parsed.pairs as unknown[])[0], {
		a: 'models/old', b: 'models/new', a_wins: 2, b_wins: 20, identical: 4,
	});
});

test('eval-ab without a terminal, or --json without --summary, is one clear line', async t => {
	const file = await twoModels(t);
	const noTerminal = await inkling(['eval-ab', 'ab', 'models/a', 'models/b', 'ads.jsonl'], file);
	t.is(noTerminal.code, 1);
	t.regex(noTerminal.stderr, /^inkling: eval-ab needs a terminal .*--summary/);
	t.notRegex(noTerminal.stderr, /\n\s+at /);
	const json = await inkling(['eval-ab', 'ab', 'models/a', 'models/b', 'ads.jsonl', '--json'], file);
	t.is(json.code, 1);
	t.regex(json.stderr, /^inkling: --json goes with --summary/);
});
