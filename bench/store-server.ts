/**
 * The PostgreSQL store against the JSON store (`npm run bench:store-server`),
 * on a throwaway cluster on loopback (scripts/postgres-cluster.sh), fsync on.
 *
 * 1. Fill both stores with 1,000,000 answers (dataset `archive`) and 1,000
 *    more (dataset `jobs`).
 * 2. In a fresh process each: open the store and plan teach (what `inkling
 *    teach` reads before its first question) on `jobs`, then on `archive`:
 *    time and resident memory, JSON and PostgreSQL side by side.
 * 3. Append latency on PostgreSQL at 1k and at 1M stored: the `add` call (the
 *    outbox written and flushed on this machine) and until the server has it.
 * 4. 8 writer processes x 10,000 answers at once: every answer once.
 * 5. 50 writers killed (SIGKILL) at random moments, then a server restart
 *    under a running writer: no acknowledged answer lost, none doubled.
 * 6. Bad input: one line each for a closed port, a wrong password, another
 *    program's database and a newer schema.
 *
 * Environment for quick runs: BENCH_STORE_ANSWERS (1000000), BENCH_STORE_KILLS (50),
 * BENCH_STORE_WRITERS (8), BENCH_STORE_CONCURRENT (10000 a writer).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync, spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import pg from 'pg';
import {quantile} from 'simple-statistics';
import {Database} from '../source/store/database.js';
import {PostgresStore} from '../source/store/postgres.js';
import {makeTask} from './store-tasks.js';

const answers = Number(process.env.BENCH_STORE_ANSWERS ?? 1_000_000);
const kills = Number(process.env.BENCH_STORE_KILLS ?? 50);
const writers = Number(process.env.BENCH_STORE_WRITERS ?? 8);
const perWriter = Number(process.env.BENCH_STORE_CONCURRENT ?? 10_000);
const root = path.resolve(import.meta.dirname, '..');
const cluster = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-bench-pg-')), 'cluster');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-bench-store-'));
const failures: string[] = [];
const summary: Record<string, unknown> = {};

const line = (label: string, value: string) => {
	console.log(`${(label + ':').padEnd(60)} ${value}`);
};

const fail = (message: string) => {
	failures.push(message);
	console.log(`FAIL: ${message}`);
};

const script = path.join(root, 'scripts', 'postgres-cluster.sh');
const clusterCommand = (...args: string[]) => execFileSync('bash', [script, ...args], {encoding: 'utf8'}).trim();

async function databaseUrl(name: string): Promise<string> {
	const admin = new pg.Client({connectionString: base});
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(base);
	url.pathname = `/${name}`;
	return url.toString();
}

async function count(url: string, dataset: string): Promise<{total: number; distinct: number; ids: Set<string>}> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	const {rows} = await client.query<{id: string}>('SELECT task->\'meta\'->>\'id\' AS id FROM inkling.examples WHERE dataset = $1', [dataset]);
	await client.end();
	const ids = new Set(rows.map(row => row.id));
	return {total: rows.length, distinct: ids.size, ids};
}

function run(args: string[]): {child: ReturnType<typeof spawn>; lines: string[]; done: Promise<number>} {
	const child = spawn(process.execPath, ['--import=tsx', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	const lines: string[] = [];
	let buffer = '';
	child.stdout.on('data', (chunk: Buffer) => {
		buffer += chunk.toString();
		const parts = buffer.split('\n');
		buffer = parts.pop()!;
		lines.push(...parts);
	});
	let errors = '';
	child.stderr.on('data', (chunk: Buffer) => {
		errors += chunk.toString();
	});
	const done = new Promise<number>(resolve => {
		child.on('exit', code => {
			if (code !== 0 && code !== null && errors.trim()) {
				console.log(`  (child stderr: ${errors.trim().split('\n')[0]})`);
			}

			resolve(code ?? -1);
		});
	});
	return {child, lines, done};
}

const writer = path.join(root, 'test', '_helpers', 'store-writer.ts');

async function fill(): Promise<{json: string; server: string}> {
	console.log(`\n== Fill: ${answers.toLocaleString('en')} answers in "archive" and 1,000 in "jobs" ==`);
	const server = await databaseUrl('bench_fill');
	const store = await PostgresStore.open(server, {outboxFolder: path.join(work, 'outbox-fill')});
	const json = path.join(work, 'fill.json');
	const database = Database.open(json);
	const chunk = 50_000;
	let serverMs = 0;
	let jsonMs = 0;
	for (const [dataset, total] of [['archive', answers], ['jobs', 1000]] as const) {
		const session = await store.startSession(dataset, {name: 'bench'});
		const jsonSession = database.startSession(dataset, {name: 'bench'});
		for (let start = 0; start < total; start += chunk) {
			const tasks = Array.from({length: Math.min(chunk, total - start)}, (_, index) => makeTask(start + index, `${dataset}-${start + index}`));
			let began = performance.now();
			await store.addMany(dataset, session, tasks);
			serverMs += performance.now() - began;
			began = performance.now();
			database.addMany(dataset, jsonSession, tasks);
			jsonMs += performance.now() - began;
		}
	}

	await store.close();
	// As autovacuum leaves a table that grew over weeks of annotation: the
	// visibility map set, so the hashes are read from the index alone.
	const vacuum = new pg.Client({connectionString: server});
	await vacuum.connect();
	await vacuum.query('VACUUM (ANALYZE) inkling.examples');
	await vacuum.end();
	const began = performance.now();
	await database.close();
	jsonMs += performance.now() - began;
	line('PostgreSQL: saved (addMany, 50,000 a transaction), then VACUUM', `${(serverMs / 1000).toFixed(1)} s`);
	line('JSON: saved (addMany) and folded', `${(jsonMs / 1000).toFixed(1)} s, ${(fs.statSync(json).size / 1024 / 1024).toFixed(0)} MiB`);
	return {json, server};
}

async function openAndPlan(location: string, dataset: string): Promise<{openMs: number; planMs: number; answeredBefore: number; rssMiB: number}> {
	const child = run([path.join(root, 'bench', 'store-open.ts'), location, dataset, path.join(work, 'teach-out')]);
	const code = await child.done;
	if (code !== 0) {
		throw new Error(`store-open exited with ${code}`);
	}

	return JSON.parse(child.lines.at(-1)!) as {openMs: number; planMs: number; answeredBefore: number; rssMiB: number};
}

async function openTimes(json: string, server: string): Promise<void> {
	console.log('\n== Open the store and plan teach, in a fresh process (3 runs, median) ==');
	const empty = await databaseUrl('bench_empty');
	const emptyJson = path.join(work, 'empty.json');
	for (const [label, location, dataset] of [
		['PostgreSQL, 1 dataset of 1,000 answers alone', empty, 'jobs'],
		['JSON, 1,000 answers in "jobs" beside 1M', json, 'jobs'],
		['PostgreSQL, 1,000 answers in "jobs" beside 1M', server, 'jobs'],
		['JSON, teach resumes "archive" (1M answers)', json, 'archive'],
		['PostgreSQL, teach resumes "archive" (1M answers)', server, 'archive'],
		['JSON, 1 dataset of 1,000 answers alone', emptyJson, 'jobs'],
	] as const) {
		if (location === empty) {
			const store = await PostgresStore.open(empty, {outboxFolder: path.join(work, 'outbox-empty')});
			await store.addMany('jobs', await store.startSession('jobs'), Array.from({length: 1000}, (_, index) => makeTask(index)));
			await store.close();
		}

		if (location === emptyJson) {
			const database = Database.open(emptyJson);
			database.addMany('jobs', database.startSession('jobs'), Array.from({length: 1000}, (_, index) => makeTask(index)));
			await database.close();
		}

		const runs = [];
		for (let index = 0; index < 3; index++) {
			runs.push(await openAndPlan(location, dataset));
		}

		runs.sort((a, b) => (a.openMs + a.planMs) - (b.openMs + b.planMs));
		const median = runs[1]!;
		line(label, `open ${median.openMs.toFixed(0)} ms + plan ${median.planMs.toFixed(0)} ms = ${(median.openMs + median.planMs).toFixed(0)} ms, ${median.rssMiB.toFixed(0)} MiB resident (${median.answeredBefore} answered before)`);
		summary[label] = median;
	}
}

async function appendLatency(url: string, label: string): Promise<void> {
	// Not behind the checkpoint that the fill left to do.
	const admin = new pg.Client({connectionString: url});
	await admin.connect();
	await admin.query('CHECKPOINT');
	await admin.end();
	const store = await PostgresStore.open(url, {outboxFolder: path.join(work, `outbox-${label}`)});
	const session = await store.startSession('latency');
	const calls: number[] = [];
	const committed: number[] = [];
	for (let index = 0; index < 2000; index++) {
		const began = performance.now();
		store.add('latency', session, makeTask(index, `latency-${index}`));
		calls.push(performance.now() - began);
		// Until the server has it: the outbox drained.
		while (store.status.queued > 0) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		committed.push(performance.now() - began);
	}

	await store.close();
	const fmt = (values: number[]) => `p50 ${quantile(values, 0.5).toFixed(2)} ms, p99 ${quantile(values, 0.99).toFixed(2)} ms`;
	line(`append at ${label} stored: add() returns (outbox flushed)`, fmt(calls));
	line(`append at ${label} stored: on the server (committed)`, fmt(committed));
	summary[`append ${label}`] = {callP99: quantile(calls, 0.99), committedP99: quantile(committed, 0.99)};
	if (quantile(committed, 0.99) > 5) {
		fail(`append at ${label}: p99 until committed ${quantile(committed, 0.99).toFixed(2)} ms (goal 5 ms)`);
	}
}

async function concurrentWriters(): Promise<void> {
	console.log(`\n== ${writers} writer processes x ${perWriter.toLocaleString('en')} answers at once ==`);
	const url = await databaseUrl('bench_writers');
	const outbox = path.join(work, 'outbox-writers');
	const began = performance.now();
	const codes = await Promise.all(Array.from({length: writers}, async (_, index) => run([writer, url, outbox, 'jobs', `w${index}`, String(perWriter)]).done));
	const seconds = (performance.now() - began) / 1000;
	const found = await count(url, 'jobs');
	line('exit codes', codes.join(' '));
	line('answers found / distinct / expected', `${found.total} / ${found.distinct} / ${writers * perWriter} in ${seconds.toFixed(1)} s`);
	summary.writers = {
		found: found.total, distinct: found.distinct, expected: writers * perWriter, seconds,
	};
	if (found.total !== writers * perWriter || found.distinct !== found.total) {
		fail(`${writers} writers: ${found.total} found, ${found.distinct} distinct, ${writers * perWriter} expected`);
	}
}

async function killsAndRestart(): Promise<void> {
	console.log(`\n== ${kills} writers killed at random moments, then a server restart under a writer ==`);
	const url = await databaseUrl('bench_kills');
	const outbox = path.join(work, 'outbox-kills');
	const acknowledged: string[] = [];
	for (let round = 0; round < kills; round++) {
		const child = run([writer, url, outbox, 'jobs', `k${round}`, '0']);

		while (!child.lines.includes('ready')) {
			await sleep(5);
		}

		await sleep(20 + Math.floor(Math.random() * 400));
		child.child.kill('SIGKILL');

		await child.done;
		acknowledged.push(...child.lines.filter(text => text.startsWith(`k${round}-`)));
	}

	// The restart: a writer runs through it; its answers wait, then reach the server.
	const through = run([writer, url, outbox, 'jobs', 'restart', '20000']);
	while (!through.lines.includes('ready')) {
		await sleep(5);
	}

	await sleep(300);
	const began = performance.now();
	const before = through.lines.length;
	clusterCommand('restart', cluster);
	line('server restart took', `${((performance.now() - began) / 1000).toFixed(1)} s`);
	const code = await through.done;
	// The writer's output is read after the (blocking) restart: "after" counts from when it began.
	line('the writer\'s answers before / after the restart began', `${before - 1} / ${through.lines.length - before}`);
	if (through.lines.length - before === 0) {
		fail('the writer had finished before the server was back: the restart was not under a running writer');
	}

	acknowledged.push(...through.lines.filter(text => text.startsWith('restart-')));
	// A last process adopts what the killed ones left.
	const last = await PostgresStore.open(url, {outboxFolder: outbox});
	await last.close();
	const found = await count(url, 'jobs');
	const lost = acknowledged.filter(id => !found.ids.has(id));
	line('acknowledged answers / on the server / lost / doubled', `${acknowledged.length} / ${found.total} / ${lost.length} / ${found.total - found.distinct} (writer through the restart exited ${code})`);
	summary.kills = {
		acknowledged: acknowledged.length, found: found.total, lost: lost.length, doubled: found.total - found.distinct,
	};
	if (lost.length > 0 || found.total !== found.distinct || code !== 0) {
		fail(`kills and restart: ${lost.length} lost, ${found.total - found.distinct} doubled, writer exit ${code}`);
	}
}

async function badInput(): Promise<void> {
	console.log('\n== Bad input: what `inkling stats --db URL` says ==');
	const bin = path.join(root, 'dist', 'source', 'bin.js');
	const say = (url: string) => {
		try {
			execFileSync(process.execPath, [bin, 'stats', '--db', url], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
			return '(no error)';
		} catch (error) {
			return String((error as {stderr: string}).stderr).trim();
		}
	};

	const closed = new URL(base);
	closed.port = '1';
	const wrong = new URL(base);
	wrong.password = 'wrong';
	const other = await databaseUrl('bench_other');
	const client = new pg.Client({connectionString: other});
	await client.connect();
	await client.query('CREATE TABLE orders (id integer)');
	const newer = await databaseUrl('bench_newer');
	const store = await PostgresStore.open(newer, {outboxFolder: path.join(work, 'outbox-newer')});
	await store.close();
	const admin = new pg.Client({connectionString: newer});
	await admin.connect();
	await admin.query('UPDATE inkling.meta SET value = \'2\' WHERE key = \'schema\'');
	await admin.end();
	await client.end();
	for (const [label, url] of [['closed port', closed.toString()], ['wrong password', wrong.toString()], ['another program\'s database', other], ['a newer schema', newer]] as const) {
		const said = say(url);
		line(label, said);
		if (said.split('\n').length !== 1 || !said.startsWith('inkling: ')) {
			fail(`${label}: not one line`);
		}
	}
}

let base = '';
try {
	console.log(`inkling PostgreSQL store benchmark (${os.cpus().length} cores, Node ${process.version})`);
	base = clusterCommand('start', cluster);
	const server = new pg.Client({connectionString: base});
	await server.connect();
	const {rows} = await server.query<{version: string}>('SELECT current_setting(\'server_version\') AS version');
	const {version} = rows[0]!;
	await server.end();
	line('server', `PostgreSQL ${version} on loopback, fsync on`);
	const {json, server: filled} = await fill();
	await openTimes(json, filled);
	console.log('\n== Append latency (one answer at a time, 2,000 each) ==');
	await appendLatency(await databaseUrl('bench_small'), '1k');
	await appendLatency(filled, '1M');
	await concurrentWriters();
	await killsAndRestart();
	await badInput();
} finally {
	try {
		clusterCommand('stop', cluster);
	} catch {
		console.log(`(could not stop the cluster in ${cluster})`);
	}

	fs.rmSync(work, {recursive: true, force: true});
}

console.log(`\n${failures.length === 0 ? 'All checks passed.' : `${failures.length} check(s) failed.`}`);
console.log(JSON.stringify(summary));
process.exitCode = failures.length === 0 ? 0 : 1;
