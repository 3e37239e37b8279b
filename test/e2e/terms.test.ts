import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {Database} from '../../source/store/database.js';
import {termVectorsText} from '../_helpers/term-vectors.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {Terminal} from '../_helpers/tmux.js';
import {bin} from '../_helpers/bin.js';

// The real CLI in a pseudo-terminal (tmux): terms from one seed over a tiny
// vector table, answered by keys; its patterns then feed teach.

test.serial('terms: a reject moves the proposals, answers are saved, undo takes one back; the patterns it yields load in teach', async t => {
	const folder = temporaryFolder(t);
	const text = path.join(folder, 'vectors.txt');
	fs.writeFileSync(text, termVectorsText());
	const table = path.join(folder, 'tiny.table');
	execFileSync(process.execPath, [bin, 'vectors', 'build', text, table]);
	const db = path.join(folder, 'db.json');
	const environment = {INKLING_DB: db, INKLING_BACKEND: 'wasm', INKLING_VECTORS: 'none'};
	const terms = Terminal.start([process.execPath, bin, 'terms', 'jobs_terms', '--seeds', 'nurse', '--vectors', table], {environment, width: 80, height: 24});
	t.teardown(() => {
		terms.close();
	});
	await terms.waitFor(/doctor\s+similarity 0\.95/);
	terms.keys('x');
	// Doctor rejected: vet, unlike doctor, comes before surgeon.
	await terms.waitFor(/vet\s+similarity/);
	terms.keys('a');
	await terms.waitFor(/answered 2 this session: ✓ 1 accept · ✗ 1 reject/);
	terms.keys('a');
	await terms.waitFor(/answered 3 this session/);
	terms.keys('u');
	await terms.waitFor(/Undone: accept of "/);
	terms.keys('q');
	await terms.waitFor(/Answered 2 in this session \(1 accept, 1 reject, 0 ignore\); 3 in jobs_terms/);

	const database = Database.open(db);
	const stored = database.examples('jobs_terms').map(example => [example.task.text, example.task.answer]);
	database.closeSync();
	t.deepEqual(stored, [['nurse', 'accept'], ['doctor', 'reject'], ['vet', 'accept']]);

	const patterns = path.join(folder, 'patterns.jsonl');
	execFileSync(process.execPath, [bin, 'terms-to-patterns', 'jobs_terms', patterns, '-l', 'JOB_TITLE'], {env: {...process.env, ...environment}, stdio: 'ignore'});
	t.is(fs.readFileSync(patterns, 'utf8'), '{"label":"JOB_TITLE","pattern":[{"lower":"nurse"}]}\n{"label":"JOB_TITLE","pattern":[{"lower":"vet"}]}\n');
	const ads = path.join(folder, 'ads.jsonl');
	fs.writeFileSync(ads, `${JSON.stringify({text: 'The clinic is hiring a vet for weekends.'})}\n`);
	const teach = Terminal.start([process.execPath, bin, 'teach', 'jobs', 'blank', ads, '-l', 'JOB_TITLE', '--patterns', patterns], {environment, width: 80, height: 24});
	t.teardown(() => {
		teach.close();
	});
	await teach.waitFor(/\[?vet.*\n(.*\n)*.*JOB_TITLE.*pattern vet/, 30_000);
	teach.keys('q');
	await teach.waitForExit();
});
