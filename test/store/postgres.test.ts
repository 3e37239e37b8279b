import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFile, spawn} from 'node:child_process';
import test, {type ExecutionContext} from 'ava';
import pg from 'pg';
import {Journal} from '../../source/store/journal.js';
import {outboxFolderFor, PostgresStore} from '../../source/store/postgres.js';
import type {StoreStatus} from '../../source/store/store.js';
import {withHashes} from '../../source/task/hash.js';
import {bin} from '../_helpers/bin.js';
import {relay} from '../_helpers/relay.js';
import {freshDatabase, testServer} from '../_helpers/stores.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {until} from '../_helpers/until.js';

// These run against a real server: .ci/run starts one (scripts/postgres-cluster.sh) and sets INKLING_TEST_POSTGRES.
const serial = testServer ? test.serial : test.serial.skip;
const writer = path.resolve(import.meta.dirname, '../_helpers/store-writer.ts');

function task(index: number) {
	return {text: `Wanted: staff nurse number ${index}`, spans: [{start: 8, end: 19, label: 'JOB_TITLE'}], answer: 'accept' as const};
}

/** The meta ids of a dataset's answers on the server, in the order saved. */
async function idsOf(url: string, dataset: string): Promise<string[]> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	const {rows} = await client.query<{id: string}>('SELECT task->\'meta\'->>\'id\' AS id FROM inkling.examples WHERE dataset = $1 ORDER BY id', [dataset]);
	await client.end();
	return rows.map(row => row.id);
}

async function countOf(client: pg.Client, table: string): Promise<number> {
	const {rows} = await client.query<{count: string}>(`SELECT count(*) AS count FROM ${table}`);
	return Number(rows[0]!.count);
}

serial('answers made while the server cannot be reached wait on this machine, the status says so, and they are sent when it is back', async t => {
	const url = new URL(await freshDatabase(t));
	const proxy = await relay(url);
	t.teardown(async () => proxy.close());
	const through = new URL(url);
	through.port = String(proxy.port);
	const folder = temporaryFolder(t);
	const store = await PostgresStore.open(through.toString(), {outboxFolder: folder});
	t.teardown(async () => store.close(1000));
	const statuses: StoreStatus[] = [];
	store.onStatus(status => statuses.push(status));
	const session = await store.startSession('jobs');
	store.add('jobs', session, task(0));
	await until(() => store.status.queued === 0, 'the first answer sent');

	await proxy.cut();
	for (let index = 1; index <= 5; index++) {
		store.add('jobs', session, task(index));
	}

	await until(() => !store.status.reachable, 'the status to say the server is unreachable');
	t.is(store.status.queued, 5);
	t.regex(store.status.problem ?? '', /cannot connect|cannot reach/u);
	// Kept on local disk meanwhile: one journal line each.
	const outbox = fs.readdirSync(folder).find(name => name.endsWith('.journal'));
	const lines = fs.readFileSync(path.join(folder, outbox!), 'utf8').split('\n').filter(Boolean);
	t.is(lines.length, 6);

	await proxy.restore();
	await until(() => store.status.reachable && store.status.queued === 0, 'the waiting answers sent', 20_000);
	const sent = await idsOf(url.toString(), 'jobs');
	t.is(sent.length, 6);
	t.true(statuses.some(status => !status.reachable && status.queued > 0));
	await store.close();
	t.deepEqual(fs.readdirSync(folder).filter(name => name.endsWith('.journal')), [], 'a sent outbox is removed on close');
});

serial('an outbox left by a dead process is sent by the next one, skipping what the server had already applied: nothing twice', async t => {
	const url = await freshDatabase(t);
	const folder = temporaryFolder(t);
	const first = await PostgresStore.open(url, {outboxFolder: folder});
	const session = await first.startSession('jobs');
	await first.close();

	// A process wrote five answers and died after the server applied three (its acknowledgement lost).
	fs.mkdirSync(folder, {recursive: true});
	const id = 'gone-host-999999-abc';
	const journal = new Journal(path.join(folder, `${id}.journal`));
	for (let index = 0; index < 5; index++) {
		journal.append([{
			op: 'add', dataset: 'jobs', session, tasks: [withHashes({...task(index), meta: {id: String(index)}})],
		}]);
	}

	journal.close();
	fs.writeFileSync(path.join(folder, `${id}.journal.lock`), `999999999\n${os.hostname()}\n`);
	const client = new pg.Client({connectionString: url});
	await client.connect();
	await client.query('INSERT INTO inkling.outboxes (id, applied) VALUES ($1, 3)', [id]);
	await client.query('INSERT INTO inkling.examples (dataset, session, input_hash, task_hash, answer, task) SELECT \'jobs\', $1, 0, 0, \'accept\', jsonb_build_object(\'text\', \'x\', \'meta\', jsonb_build_object(\'id\', n::text)) FROM generate_series(0, 2) AS n', [session]);
	await client.end();

	const warnings: string[] = [];
	const next = await PostgresStore.open(url, {outboxFolder: folder, onWarning: message => warnings.push(message)});
	t.teardown(async () => next.close());
	t.deepEqual(await idsOf(url, 'jobs'), ['0', '1', '2', '3', '4']);
	t.deepEqual(warnings, [`sent 5 answers an earlier inkling process left on this machine for ${next.location}`]);
	t.false(fs.existsSync(path.join(folder, `${id}.journal`)));
});

serial('kill -9 of writing processes loses no acknowledged answer and doubles none', async t => {
	const url = await freshDatabase(t);
	const folder = temporaryFolder(t);
	const acknowledged: string[] = [];
	for (let round = 0; round < 4; round++) {
		await new Promise<void>((resolve, reject) => {
			const child = spawn(process.execPath, ['--import=tsx', writer, url, folder, 'jobs', `r${round}`, '0'], {stdio: ['ignore', 'pipe', 'inherit']});
			let buffer = '';
			child.stdout.on('data', (chunk: Buffer) => {
				buffer += chunk.toString();
				// Killed once it has acknowledged a number of answers that differs each round
				// (not after a fixed time: under load a writer may not have begun by then).
				if (!child.killed && buffer.split('\n').filter(line => line.startsWith(`r${round}-`)).length >= 20 + (round * 137)) {
					child.kill('SIGKILL');
				}
			});
			child.on('error', reject);
			child.on('exit', () => {
				acknowledged.push(...buffer.split('\n').filter(line => line.startsWith(`r${round}-`)));
				resolve();
			});
		});
	}

	t.true(acknowledged.length > 20, `only ${acknowledged.length} acknowledged`);
	const store = await PostgresStore.open(url, {outboxFolder: folder});
	t.teardown(async () => store.close());
	const ids = await idsOf(url, 'jobs');
	t.deepEqual(acknowledged.filter(id => !ids.includes(id)), [], 'every acknowledged answer is on the server');
	t.is(new Set(ids).size, ids.length, 'none twice');
});

serial('four processes writing at once: every answer once', async t => {
	const url = await freshDatabase(t);
	const folder = temporaryFolder(t);
	const runs = await Promise.all(['a', 'b', 'c', 'd'].map(async prefix => new Promise<number>((resolve, reject) => {
		const child = spawn(process.execPath, ['--import=tsx', writer, url, folder, 'jobs', prefix, '300'], {stdio: ['ignore', 'ignore', 'inherit']});
		child.on('error', reject);
		child.on('exit', code => {
			resolve(code ?? -1);
		});
	})));
	t.deepEqual(runs, [0, 0, 0, 0]);
	const ids = await idsOf(url, 'jobs');
	t.is(ids.length, 1200);
	t.is(new Set(ids).size, 1200);
	t.deepEqual(fs.readdirSync(folder).filter(name => name.endsWith('.journal')), []);
});

type Result = {code: number; stdout: string; stderr: string};

async function inkling(args: string[], home: string): Promise<Result> {
	return new Promise(resolve => {
		execFile(process.execPath, [bin, ...args], {env: {...process.env, HOME: home, NO_COLOR: '1'}}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

/** One line on stderr, exit code 1, no stack trace, and the password never shown. */
function oneLine(t: ExecutionContext, result: Result, pattern: RegExp): void {
	t.is(result.code, 1, result.stderr);
	const lines = result.stderr.trim().split('\n');
	t.is(lines.length, 1, result.stderr);
	t.regex(lines[0]!, pattern);
	t.notRegex(result.stderr, /\bat .*\.js:\d+|inkling:inkling@|:wrong@/u);
}

serial('a server that is not there, a wrong password, another program\'s database and a newer schema: one clear line each, nothing lost', async t => {
	const home = temporaryFolder(t);
	const server = new URL(testServer!);
	const closed = new URL(server);
	closed.port = '1';
	oneLine(t, await inkling(['stats', '--db', closed.toString()], home), /^inkling: postgres:\/\/inkling@127\.0\.0\.1:1\/\w+: cannot connect: connection refused\. Is the PostgreSQL server running and listening on 127\.0\.0\.1:1\?$/u);

	const wrong = new URL(server);
	wrong.password = 'wrong';
	oneLine(t, await inkling(['stats', '--db', wrong.toString()], home), /password authentication failed for user "inkling"\. Check the user and password in the URL/u);

	const missing = new URL(server);
	missing.pathname = '/no_such_database';
	oneLine(t, await inkling(['stats', '--db', missing.toString()], home), /the database does not exist on 127\.0\.0\.1:\d+\. Create it \(createdb no_such_database\)/u);

	// Another program's database: refused until db-migrate adds inkling's tables beside its own.
	const other = await freshDatabase(t);
	const client = new pg.Client({connectionString: other});
	await client.connect();
	await client.query('CREATE TABLE orders (id integer PRIMARY KEY)');
	oneLine(t, await inkling(['stats', '--db', other], home), /holds another program's tables and no inkling tables\. Point --db at a database of inkling's own, or run `inkling db-migrate --db URL`/u);
	const migrated = await inkling(['db-migrate', '--db', other], home);
	t.is(migrated.code, 0, migrated.stderr);
	t.regex(migrated.stdout, /created inkling's tables to schema 1\./u);
	const again = await inkling(['db-migrate', '--db', other], home);
	t.regex(again.stdout, /at schema 1 already; nothing to do\.\n$/u);
	t.is(await countOf(client, 'orders'), 0, 'the other program\'s table is still there');

	// A schema from a newer inkling: refused before any work, and answers waiting on this machine stay.
	const imported = await inkling(['db-in', 'jobs', path.join(import.meta.dirname, '../../data/job-ads.jsonl'), '--db', other], home);
	t.is(imported.code, 0, imported.stderr);
	await client.query('UPDATE inkling.meta SET value = \'2\' WHERE key = \'schema\'');
	const outbox = path.join(outboxFolderFor(other, home), 'killed-host-999999-abc.journal');
	fs.mkdirSync(path.dirname(outbox), {recursive: true});
	const waiting = new Journal(outbox);
	waiting.append([{
		op: 'add', dataset: 'jobs', session: 'jobs-alice', tasks: [withHashes({...task(1), meta: {id: 'waiting'}})],
	}]);
	waiting.close();
	oneLine(t, await inkling(['stats', '--db', other], home), /its inkling tables are schema 2, from a newer inkling \(this one knows up to 1\)\. Upgrade inkling/u);
	t.true(fs.existsSync(outbox), 'the waiting answer is still on this machine');
	const count = async () => countOf(client, 'inkling.examples');
	t.is(await count(), 319);

	// The schema this inkling knows again: the waiting answer is sent by the next command.
	await client.query('UPDATE inkling.meta SET value = \'1\' WHERE key = \'schema\'');
	const stats = await inkling(['stats', '--db', other], home);
	t.is(stats.code, 0, stats.stderr);
	t.regex(stats.stderr, /sent 1 answer an earlier inkling process left on this machine/u);
	t.regex(stats.stdout, /Examples {4}320/u);
	t.false(fs.existsSync(outbox));
	await client.end();
});

serial('db-copy moves a JSON database to a server and back: datasets, sessions and every field of every answer', async t => {
	const home = temporaryFolder(t);
	const json = path.join(home, 'team.json');
	const back = path.join(home, 'back.json');
	const server = await freshDatabase(t);
	const data = path.join(import.meta.dirname, '../../data/job-ads.jsonl');
	for (const [dataset, extra] of [['jobs', []], ['jobs', ['--answer', 'reject']], ['other', []]] as const) {
		const imported = await inkling(['db-in', dataset, data, '--db', json, ...extra], home);
		t.is(imported.code, 0, imported.stderr);
	}

	const there = await inkling(['db-copy', json, server], home);
	t.is(there.code, 0, there.stderr);
	t.regex(there.stdout, /Copied 2 datasets \(957 examples\) from .*team\.json to postgres:\/\/inkling@127\.0\.0\.1:\d+\/inkling_test_\w+\./u);
	t.notRegex(there.stdout, /inkling:inkling@/u);
	const again = await inkling(['db-copy', json, server, '--dataset', 'other'], home);
	oneLine(t, again, /already has a dataset "other": nothing was copied/u);
	const copiedBack = await inkling(['db-copy', server, back], home);
	t.is(copiedBack.code, 0, copiedBack.stderr);

	for (const dataset of ['jobs', 'other']) {
		const [original, onServer, returned] = await Promise.all([json, server, back].map(async db => inkling(['db-out', dataset, '--db', db], home)));
		const parse = (result: Result) => result.stdout.trim().split('\n').map(text => JSON.parse(text) as unknown);
		t.deepEqual(parse(onServer!), parse(original!));
		t.deepEqual(parse(returned!), parse(original!));
		const sessions = await Promise.all([json, back].map(async db => inkling(['stats', dataset, '--db', db, '--json'], home)));
		const {sessions: before} = JSON.parse(sessions[0]!.stdout) as {sessions: unknown};
		const {sessions: after} = JSON.parse(sessions[1]!.stdout) as {sessions: unknown};
		t.deepEqual(after, before);
	}
});

serial('a NUL character, which PostgreSQL text cannot hold, arrives as U+FFFD; a text that spells out its escape arrives as it is', async t => {
	const url = await freshDatabase(t);
	const store = await PostgresStore.open(url, {outboxFolder: temporaryFolder(t)});
	t.teardown(async () => store.close());
	const session = await store.startSession('odd');
	store.add('odd', session, {text: 'nul\0here', meta: {note: 'a\0b'}});
	store.add('odd', session, {text: String.raw`spelled \u0000 out`});
	const examples = await store.examples('odd');
	t.deepEqual(examples.map(example => example.task.text), ['nul\uFFFDhere', String.raw`spelled \u0000 out`]);
	t.deepEqual(examples[0]!.task.meta, {note: 'a\uFFFDb'});
});
