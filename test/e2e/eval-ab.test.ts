import path from 'node:path';
import test from 'ava';
import {Database} from '../../source/store/database.js';
import {abModels, abSource} from '../_helpers/ab-models.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {Terminal} from '../_helpers/tmux.js';
import {bin} from '../_helpers/bin.js';

// The real CLI in a pseudo-terminal (tmux): two models that differ, a person
// who always prefers one of them, whichever side it is on.

test.serial('30 answers that always prefer one model name it, with p < 0.001; the answers store the model, and the sides were random', async t => {
	const folder = temporaryFolder(t);
	// Relative names, as a person types them: `per` finds people, `none` finds nothing.
	await abModels(folder);
	abSource(path.join(folder, 'ads.jsonl'), 10);
	const db = path.join(folder, 'db.json');
	const terminal = Terminal.start([process.execPath, bin, 'ner.eval-ab', 'ab', 'per', './none/', 'ads.jsonl', '-l', 'per', '--seed', '7'], {
		environment: {INKLING_DB: db, INKLING_BACKEND: 'wasm'}, cwd: folder,
	});
	t.teardown(() => {
		terminal.close();
	});

	// Digits and arrows in turn.
	const keys = {1: ['1', 'Left'], 2: ['2', 'Right']} as const;
	for (let index = 0; index < 30; index++) {
		// As a person would: read the question, pick the option that shows per's brackets.
		const screen = await terminal.waitFor(new RegExp(String.raw`^ 1 [^\n]*\n[\s\S]*^ 2 [^\n]*\n[\s\S]*answered ${index} this session`, 'm'));
		const lines = screen.split('\n');
		const one = lines.find(line => line.startsWith(' 1 '))!;
		const two = lines.find(line => line.startsWith(' 2 '))!;
		t.not(one.includes('['), two.includes('['), `one option has per's brackets:\n${screen}`);
		t.notRegex(one + two, /\b(per|none)\b/, 'no model name beside an option');
		const [digit, arrow] = keys[one.includes('[') ? 1 : 2];
		terminal.keys(index % 2 === 0 ? digit : arrow);
	}

	await terminal.waitFor(/answered 30 this session/);
	terminal.keys('q');
	await terminal.waitForExit();
	// With what scrolled off the top: the pane scrolls when tmux marks it dead.
	const screen = terminal.transcript();
	t.regex(screen, /Answered 30 in this session/);
	t.regex(screen, /Verdict: per is preferred over none \(p < 0\.001\)/);
	t.regex(screen, /--compare/);

	const database = Database.open(db);
	const answers = database.examples('ab').map(example => example.task).filter(task => task.identical !== true);
	database.closeSync();
	t.is(answers.length, 30);
	t.true(answers.every(task => task.winner === 'per' && task.answer === 'accept'));
	const sides = new Set(answers.map(task => (task.mapping as Record<string, string>)['1']));
	t.deepEqual([...sides].sort((a, b) => a!.localeCompare(b!)), ['none', 'per'], 'per was shown as option 1 and as option 2');
});
