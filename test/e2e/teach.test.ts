import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Database} from '../../source/store/database.js';
import {PostgresStore} from '../../source/store/postgres.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {Terminal} from '../_helpers/tmux.js';
import {bin} from '../_helpers/bin.js';
import {relay} from '../_helpers/relay.js';
import {freshDatabase, testServer} from '../_helpers/stores.js';

// The real CLI in a pseudo-terminal (tmux), with a blank model and patterns so it starts fast.

const roles = ['staff nurse', 'sous chef', 'warehouse operative', 'software engineer', 'teaching assistant', 'head of finance', 'delivery driver', 'care assistant'];
const places = ['Leeds', 'our Bristol office', 'the city centre', 'a busy ward', 'the night shift', 'a friendly team'];

function fixture(t: Parameters<typeof temporaryFolder>[0], first?: string) {
	const folder = temporaryFolder(t);
	const lines: string[] = first ? [JSON.stringify({text: first})] : [];
	for (const [r, role] of roles.entries()) {
		for (const [p, place] of places.entries()) {
			lines.push(JSON.stringify({text: `We are hiring a ${role} to join ${place} from ${r + 1}/${p + 1} next month.`}));
		}
	}

	const source = path.join(folder, 'ads.jsonl');
	fs.writeFileSync(source, lines.join('\n') + '\n');
	const patterns = path.join(folder, 'patterns.jsonl');
	fs.writeFileSync(patterns, roles.map(role => JSON.stringify({label: 'JOB_TITLE', pattern: role})).join('\n') + '\n');
	return {
		folder, source, patterns, db: path.join(folder, 'db.json'),
	};
}

function teach(t: Parameters<typeof temporaryFolder>[0], setup: ReturnType<typeof fixture>, extra: string[] = []): Terminal {
	const terminal = Terminal.start([process.execPath, bin, 'teach', 'jobs', 'blank', setup.source, '-l', 'JOB_TITLE', '--patterns', setup.patterns, ...extra], {
		// Without pretrained vectors: a blank model would read the default table (and build it, on a new machine).
		environment: {INKLING_DB: setup.db, INKLING_BACKEND: 'wasm', INKLING_VECTORS: 'none'},
	});
	t.teardown(() => {
		terminal.close();
	});
	return terminal;
}

function stored(file: string) {
	const database = Database.open(file);
	const examples = database.examples('jobs').map(example => example.task);
	database.closeSync();
	return examples;
}

async function answer(terminal: Terminal, count: number, from = 0): Promise<void> {
	for (let index = 0; index < count; index++) {
		// As a person would: a key when a question is on screen.
		await terminal.waitFor(/probability/);
		terminal.keys(index % 3 === 2 ? 'x' : 'a');
		await terminal.waitFor(new RegExp(`answered ${from + index + 1} this session`));
	}
}

test.serial('answer 20, undo 2, quit; the store has 18, and a restart resumes after them', async t => {
	const setup = fixture(t);
	const terminal = teach(t, setup);
	await terminal.waitFor(/probability/);
	await answer(terminal, 20);
	terminal.keys('u');
	await terminal.waitFor(/answered 19 this session/);
	terminal.keys('BSpace');
	await terminal.waitFor(/answered 18 this session/);
	terminal.keys('q');
	await terminal.waitForExit();
	// The whole transcript: tmux may scroll the pane a line when the command exits.
	const screen = terminal.transcript();
	t.regex(screen, /Answered 18 in this session \(\d+ accept, \d+ reject, 0 ignore\); 18 in jobs/);
	t.regex(screen, /In-loop model saved to .*db\.teach\/jobs/);
	const first = stored(setup.db);
	t.is(first.length, 18);
	t.true(fs.existsSync(path.join(setup.folder, 'db.teach', 'jobs', 'model.json')));

	const again = teach(t, setup);
	await again.waitFor(/probability/);
	await again.waitFor(/0 this session.* 18 in jobs/);
	await answer(again, 1);
	again.keys('q');
	await again.waitForExit();
	const second = stored(setup.db);
	t.is(second.length, 19);
	const before = new Set(first.map(task => task._input_hash));
	t.false(before.has(second.at(-1)!._input_hash), 'the resumed session asks about a new input');
});

test.serial('keys pressed faster than the screen draws each answer their own question', async t => {
	const setup = fixture(t);
	const terminal = teach(t, setup);
	await terminal.waitFor(/probability/);
	// The first window is 6 sentences with a pattern match each: 6 keys never outrun the queue.
	terminal.keys('a', 'x', 'a', 'a', 'x', 'Space');
	await terminal.waitFor(/answered 6 this session/);
	terminal.keys('q');
	await terminal.waitForExit();
	const answers = stored(setup.db);
	t.is(answers.length, 6);
	t.is(new Set(answers.map(task => task._task_hash)).size, 6);
	t.deepEqual(answers.map(task => task.answer), ['accept', 'reject', 'accept', 'accept', 'reject', 'ignore']);
});

test.serial('kill -9 in the middle of a session loses no answer the screen counted', async t => {
	const setup = fixture(t);
	const terminal = teach(t, setup);
	await terminal.waitFor(/probability/);
	await answer(terminal, 12);
	process.kill(terminal.pid, 'SIGKILL');
	await terminal.waitForExit();
	t.is(stored(setup.db).length, 12);
});

test.serial('SIGHUP (a dropped connection) saves the in-loop model and every answer', async t => {
	const setup = fixture(t);
	const terminal = teach(t, setup);
	await terminal.waitFor(/probability/);
	await answer(terminal, 9);
	process.kill(terminal.pid, 'SIGHUP');
	await terminal.waitForExit();
	const model = path.join(setup.folder, 'db.teach', 'jobs', 'model.json');
	t.true(fs.existsSync(model));
	const saved = JSON.parse(fs.readFileSync(model, 'utf8')) as {training: {answers: number; session: string}};
	t.is(saved.training.answers, 9, 'the saved model learnt from every answer');
	t.is(stored(setup.db).length, 9);
});

test.serial('a real hangup (the terminal gone, as when SSH drops) saves the in-loop model and every answer', async t => {
	const setup = fixture(t);
	const terminal = teach(t, setup);
	await terminal.waitFor(/probability/);
	await answer(terminal, 9);
	await terminal.hangUp();
	const model = path.join(setup.folder, 'db.teach', 'jobs', 'model.json');
	t.true(fs.existsSync(model), 'the in-loop model is saved');
	const saved = JSON.parse(fs.readFileSync(model, 'utf8')) as {training: {answers: number}};
	t.is(saved.training.answers, 9, 'the saved model learnt from every answer');
	t.is(stored(setup.db).length, 9);
});

test.serial('escape sequences in a text never reach the terminal', async t => {
	const setup = fixture(t, 'Evil \u001B]0;PWNED\u0007 title \u001B[2J\u001B[31m for a staff nurse today.');
	const raw = path.join(setup.folder, 'raw.out');
	const terminal = teach(t, setup);
	terminal.record(raw);
	// The blank model may ask about a span of the evil text first: each is shown escaped, and rejected until the pattern's question comes.
	let screen = await terminal.waitFor(/probability/);
	for (let answered = 1; !screen.includes('[staff nurse JOB_TITLE]') && answered <= 5; answered++) {
		t.regex(screen, /Evil ␛]0;PWNED␇ title ␛\[/);
		terminal.keys('x');
		screen = await terminal.waitFor(new RegExp(`answered ${answered} this session`));
	}

	t.true(screen.includes('Evil ␛]0;PWNED␇ title ␛[2J␛[31m for a [staff nurse JOB_TITLE]'), screen);
	terminal.keys('q');
	await terminal.waitForExit();
	const output = fs.readFileSync(raw, 'latin1');
	t.true(output.length > 0);
	t.false(output.includes('\u001B]0;PWNED'));
	t.false(output.includes('\u001B[2J'));
});

test.serial('a 5 MB text on one line: the first question comes while the line is still being read, and q quits at once with the model saved', async t => {
	const setup = fixture(t);
	const words = 'We are hiring a staff nurse to join a friendly team in Leeds and a sous chef for the night shift';
	fs.writeFileSync(setup.source, JSON.stringify({text: `${words} `.repeat(52_000)}) + '\n');
	const terminal = teach(t, setup);
	await terminal.waitFor(/probability/, 15_000);
	terminal.keys('a');
	await terminal.waitFor(/answered 1 this session/);
	const quit = Date.now();
	terminal.keys('q');
	await terminal.waitForExit();
	// Reading the whole line before a question took 20 s and quitting as long; a person waits a second at most (slack for a loaded machine).
	t.true(Date.now() - quit < 5000, `quit took ${Date.now() - quit} ms`);
	t.regex(terminal.transcript(), /In-loop model saved/);
	t.is(stored(setup.db).length, 1);
});

const withServer = testServer ? test.serial : test.serial.skip;

withServer('on a PostgreSQL server: answers while it is unreachable wait on this machine, the status line says so, and all reach it when it is back (INKLING_TEST_POSTGRES)', async t => {
	const setup = fixture(t);
	const url = new URL(await freshDatabase(t));
	const proxy = await relay(url);
	t.teardown(async () => proxy.close());
	const through = new URL(url);
	through.port = String(proxy.port);
	const terminal = Terminal.start([process.execPath, bin, 'teach', 'jobs', 'blank', setup.source, '-l', 'JOB_TITLE', '--patterns', setup.patterns], {
		environment: {
			INKLING_DB: through.toString(), INKLING_BACKEND: 'wasm', INKLING_VECTORS: 'none', HOME: setup.folder,
		},
	});
	t.teardown(() => {
		terminal.close();
	});
	await answer(terminal, 3);
	await proxy.cut();
	await answer(terminal, 3, 3);
	await terminal.waitFor(/server unreachable: \d answers? kept on this machine, sent when it is back/);
	await proxy.restore();
	await terminal.waitFor(/server back: every answer is saved there/, 30_000);
	terminal.keys('q');
	await terminal.waitForExit();
	// The summary as one line: the pane wraps it at 80 columns.
	t.regex(terminal.transcript().replaceAll('\n', ''), /Answered 6 in this session .*; 6 in jobs, saved in postgres:\/\/inkling@127\.0\.0\.1:\d+\/inkling_test_\w+\./);
	const store = await PostgresStore.open(url.toString(), {outboxFolder: path.join(setup.folder, 'unused')});
	const examples = await store.examples('jobs');
	await store.close();
	t.is(examples.length, 6);
});
