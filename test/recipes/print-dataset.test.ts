import {execFile} from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import {formatAnswer} from '../../source/commands/print-dataset.js';
import {Database} from '../../source/store/database.js';
import {wrapColoured} from '../../source/ui/layout.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {bin} from '../_helpers/bin.js';

test('an answer shows its mark, its session and its spans bracketed with their labels, escapes made visible', t => {
	const text = 'Anna Smith met Bob in Leeds \u001B[31mtoday.';
	const shown = formatAnswer({
		text, spans: [{start: 0, end: 10, label: 'PER'}, {start: 22, end: 27, label: 'LOC'}], answer: 'reject', _session_id: 'people-alice', _view_id: 'ner_manual',
	}, 3, ['PER', 'LOC'], false);
	t.is(shown, '   3  ✗ reject · people-alice\n      [Anna Smith PER] met Bob in [Leeds LOC] ␛[31mtoday.');
	const binary = formatAnswer({
		text: 'Bob', spans: [{start: 0, end: 3, label: 'PER'}], answer: 'accept', _view_id: 'ner',
	}, 1, ['PER'], false);
	t.regex(binary, /✓ accept \(yes\/no on one span\)/);
});

test('coloured text wraps at spaces by its visible width, the codes taking no columns', t => {
	const red = '\u001B[31m';
	const reset = '\u001B[0m';
	const wrapped = wrapColoured(`  ${red}alpha beta${reset} gamma delta epsilon`, 14, '  ');
	// eslint-disable-next-line no-control-regex
	const visible = wrapped.split('\n').map(line => line.replaceAll(/\u001B\[[\d;]*m/gu, ''));
	t.deepEqual(visible, ['  alpha beta', '  gamma delta', '  epsilon']);
	t.true(wrapped.includes(red) && wrapped.includes(reset));
});

test('piped, print-dataset writes the stored tasks as JSONL; --answer filters; an unknown dataset is one clear line', async t => {
	const folder = temporaryFolder(t);
	const db = path.join(folder, 'db.json');
	const database = Database.open(db);
	const session = database.startSession('gold');
	database.add('gold', session, {text: 'Anna went home.', spans: [{start: 0, end: 4, label: 'PER'}], answer: 'accept'});
	database.add('gold', session, {text: 'Broken ### text', spans: [], answer: 'reject'});
	await database.close();
	const run = async (args: string[]) => new Promise<{code: number; stdout: string; stderr: string}>(resolve => {
		execFile(process.execPath, [bin, ...args], {env: {...process.env, INKLING_DB: db}}, (error, stdout, stderr) => {
			resolve({code: error ? Number(error.code) : 0, stdout, stderr});
		});
	});
	const all = await run(['print-dataset', 'gold']);
	const lines = all.stdout.trim().split('\n').map(line => JSON.parse(line) as {text: string; answer: string});
	t.deepEqual(lines.map(line => [line.text, line.answer]), [['Anna went home.', 'accept'], ['Broken ### text', 'reject']]);
	const rejected = await run(['ner.print-dataset', 'gold', '--answer', 'reject']);
	t.is(rejected.stdout.trim().split('\n').length, 1);
	const missing = await run(['print-dataset', 'nope']);
	t.is(missing.code, 1);
	t.is(missing.stderr, `inkling: There is no dataset "nope" in ${db}. Datasets: gold.\n`);
});
