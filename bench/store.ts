/**
 * Store benchmark and crash test (`npm run bench:store`).
 *
 * 1. Append 1,000,000 answers one `db.add` at a time (each flushed with
 *    fdatasync), timing every call; background folds run while the loop yields
 *    every 10,000 appends and are timed apart.
 * 2. Close (fold), then open the 1M-answer database in a fresh process, folded
 *    and (a copy of the journal alone) unfolded.
 * 3. SIGKILL a writer process 50 times at random moments; every acknowledged
 *    answer must be there afterwards.
 * 4. Two writer processes append 10,000 answers each at once; all 20,000 must
 *    be there and every journal line must parse.
 *
 * Environment (for quick runs): BENCH_STORE_ANSWERS (1000000), BENCH_STORE_KILLS (50),
 * BENCH_STORE_CONCURRENT (10000 per writer).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {spawn, type ChildProcess} from 'node:child_process';
import {PerformanceObserver, performance} from 'node:perf_hooks';
import {setImmediate as yieldToLoop} from 'node:timers/promises';
import {Database} from '../source/store/database.js';
import {Journal, type BadLine} from '../source/store/journal.js';
import {makeTask} from './store-tasks.js';

const answersTotal = Number(process.env.BENCH_STORE_ANSWERS ?? 1_000_000);
const kills = Number(process.env.BENCH_STORE_KILLS ?? 50);
const perWriter = Number(process.env.BENCH_STORE_CONCURRENT ?? 10_000);
const yieldEvery = 10_000;
const progressEvery = 100_000;

const here = import.meta.dirname;
const projectRoot = path.resolve(here, '..');
const summary: Record<string, unknown> = {};
const failures: string[] = [];
const children = new Set<ChildProcess>();

const mib = (bytes: number) => bytes / 1024 / 1024;
const fixed = (value: number, digits = 3) => value.toFixed(digits);
const grouped = (value: number) => value.toLocaleString('en-US');
const now = () => process.hrtime.bigint();
const msSince = (start: bigint) => Number(now() - start) / 1e6;

function line(label: string, value: string): void {
	console.log(`${(label + ':').padEnd(62)} ${value}`);
}

function heading(title: string): void {
	console.log(`\n== ${title} ==`);
}

function fail(message: string): void {
	failures.push(message);
	console.log(`FAIL: ${message}`);
}

/** The q-quantile (0..1) of some durations, by the nearest-rank method. */
function quantile(values: Float64Array, q: number): number {
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function stats(values: Float64Array) {
	return {
		n: values.length,
		p50: quantile(values, 0.5),
		p99: quantile(values, 0.99),
		p999: quantile(values, 0.999),
		max: quantile(values, 1),
	};
}

function fileSize(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

type ChildResult = {
	code: number | undefined;
	signal: NodeJS.Signals | undefined;
	lines: string[];
	/** Output after the last newline (a line cut short). */
	partial: string;
	stderr: string;
};

/** Run a bench helper in its own node process, calling `onLine` for each stdout line as it comes. */
function runHelper(script: string, args: string[], onLine?: (text: string, child: ChildProcess) => void): {child: ChildProcess; done: Promise<ChildResult>} {
	const child = spawn(process.execPath, ['--import=tsx', path.join(here, script), ...args], {
		cwd: projectRoot,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	const lines: string[] = [];
	let partial = '';
	let stderr = '';
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		const parts = (partial + chunk).split('\n');
		partial = parts.pop()!;
		for (const text of parts) {
			lines.push(text);
			onLine?.(text, child);
		}
	});
	child.stderr.on('data', (chunk: string) => {
		stderr += chunk;
	});
	const done = new Promise<ChildResult>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			children.delete(child);
			resolve({
				code: code ?? undefined, signal: signal ?? undefined, lines, partial, stderr,
			});
		});
	});
	return {child, done};
}

function killChildren(): void {
	for (const child of children) {
		child.kill('SIGKILL');
	}
}

/** Command-line options for bench/store-writer.ts. */
function writerOptions(options: Record<string, string | number>): string[] {
	return Object.entries(options).flatMap(([name, value]) => [`--${name}`, String(value)]);
}

type OpenResult = {openMs: number; count: number; rssMiB: number; heapUsedMiB: number; warnings: string[]};

async function timeOpen(file: string): Promise<OpenResult> {
	const result = await runHelper('store-open.ts', [file]).done;
	const last = result.lines.findLast(text => text.startsWith('{'));
	if (result.code !== 0 || !last) {
		throw new Error(`store-open.ts ${file} failed (code ${result.code}, signal ${result.signal}):\n${result.stderr}`);
	}

	return JSON.parse(last) as OpenResult;
}

// 1. One million single appends

async function appendMillion(folder: string): Promise<string> {
	heading(`1. append ${grouped(answersTotal)} answers, one db.add (write + fdatasync) each`);
	const file = path.join(folder, 'million', 'db.json');
	const warnings: string[] = [];
	const database = Database.open(file, {
		onWarning(message) {
			warnings.push(message);
		},
	});
	const session = database.startSession('bench');

	// Time the background folds (run by a timer when the loop yields) apart from the appends.
	const folds: Array<{afterAppends: number; ms: number; documentMiB: number}> = [];
	let appended = 0;
	const fold = database.fold.bind(database);
	database.fold = () => {
		const started = now();
		const folded = fold();
		folds.push({afterAppends: appended, ms: msSince(started), documentMiB: mib(fileSize(file))});
		return folded;
	};

	// GC pauses and appends slower than 1 ms, both on the performance timeline, to tell whether a slow append was a GC pause.
	const pauses: Array<{start: number; ms: number}> = [];
	const slow: Array<{start: number; ms: number}> = [];
	const hrtimeOrigin = (Number(now()) / 1e6) - performance.now();
	const observer = new PerformanceObserver(list => {
		for (const entry of list.getEntries()) {
			pauses.push({start: entry.startTime, ms: entry.duration});
		}
	});
	observer.observe({entryTypes: ['gc']});

	const durations = new Float64Array(answersTotal);
	const started = now();
	let windowStarted = started;
	for (let n = 0; n < answersTotal; n++) {
		const task = makeTask(n);
		const before = process.hrtime.bigint();
		database.add('bench', session, task);
		durations[n] = Number(process.hrtime.bigint() - before) / 1e6;
		appended = n + 1;
		if (durations[n]! > 1) {
			slow.push({start: (Number(before) / 1e6) - hrtimeOrigin, ms: durations[n]!});
		}

		if (appended % yieldEvery === 0) {
			await yieldToLoop();
		}

		if (appended % progressEvery === 0 || appended === answersTotal) {
			const window = durations.subarray(Math.max(0, appended - progressEvery), appended);
			const lastFold = folds.at(-1);
			process.stderr.write(`[append] ${grouped(appended).padStart(9)} / ${grouped(answersTotal)}`
				+ `  ${fixed(msSince(started) / 1000, 1)} s`
				+ `  window ${fixed(progressEvery / (msSince(windowStarted) / 1000), 0)}/s p50 ${fixed(quantile(window, 0.5))} ms p99 ${fixed(quantile(window, 0.99))} ms`
				+ `  folds ${folds.length}${lastFold ? ` (last ${fixed(lastFold.ms, 0)} ms, document ${fixed(lastFold.documentMiB, 0)} MiB)` : ''}`
				+ `  rss ${fixed(mib(process.memoryUsage().rss), 0)} MiB\n`);
			windowStarted = now();
		}
	}

	const totalMs = msSince(started);
	await yieldToLoop();
	observer.disconnect();
	const rssAfterAppends = mib(process.memoryUsage().rss);

	const sum = durations.reduce((total, value) => total + value, 0);
	const all = stats(durations);
	const at1k = stats(durations.subarray(1000, 2000));
	const last10k = stats(durations.subarray(Math.max(0, answersTotal - 10_000)));
	const last1k = stats(durations.subarray(Math.max(0, answersTotal - 1000)));
	const over = (limit: number) => durations.reduce((total, value) => total + (value > limit ? 1 : 0), 0);
	const foldMs = folds.reduce((total, item) => total + item.ms, 0);
	const gcMs = pauses.reduce((total, pause) => total + pause.ms, 0);
	const gcMax = Math.max(0, ...pauses.map(pause => pause.ms));
	pauses.sort((a, b) => a.start - b.start);
	const overlapsPause = (append: {start: number; ms: number}) => pauses.some(pause => pause.start < append.start + append.ms && pause.start + pause.ms > append.start);
	const slowInGc = slow.filter(append => overlapsPause(append)).length;
	const verySlow = slow.filter(append => append.ms > 10);
	const verySlowInGc = verySlow.filter(append => overlapsPause(append)).length;

	line('appends', grouped(answersTotal));
	line('wall time of the append loop (incl. folds, task building)', `${fixed(totalMs / 1000, 1)} s`);
	line('time inside db.add (sum)', `${fixed(sum / 1000, 1)} s (${fixed(answersTotal / (sum / 1000), 0)} appends/s)`);
	line('append p50 / p99 at 1k stored (appends 1,001-2,000)', `${fixed(at1k.p50)} ms / ${fixed(at1k.p99)} ms (max ${fixed(at1k.max)} ms)`);
	line('append p50 / p99 at 1M stored (last 10,000 appends)', `${fixed(last10k.p50)} ms / ${fixed(last10k.p99)} ms (max ${fixed(last10k.max)} ms)`);
	line('append p50 / p99 at 1M stored (last 1,000 appends)', `${fixed(last1k.p50)} ms / ${fixed(last1k.p99)} ms (max ${fixed(last1k.max)} ms)`);
	line('append p50 / p99 / p99.9 / max over all appends', `${fixed(all.p50)} / ${fixed(all.p99)} / ${fixed(all.p999)} / ${fixed(all.max)} ms`);
	line('appends slower than 1 ms / 10 ms / 100 ms', `${grouped(over(1))} / ${grouped(over(10))} / ${grouped(over(100))}`);
	line('background folds during appends (not in the append timings)', `${folds.length}, ${fixed(foldMs / 1000, 1)} s in all, longest ${fixed(Math.max(0, ...folds.map(item => item.ms)), 0)} ms`);
	line('garbage collection during the append loop', `${pauses.length} pauses, ${fixed(gcMs / 1000, 2)} s in all, longest ${fixed(gcMax, 1)} ms`);
	line('appends > 1 ms / > 10 ms that overlapped a GC pause', `${grouped(slowInGc)} of ${grouped(slow.length)} / ${grouped(verySlowInGc)} of ${grouped(verySlow.length)} (the rest: waiting on write/fdatasync)`);
	line('RSS after the appends', `${fixed(rssAfterAppends, 0)} MiB`);
	if (warnings.length > 0) {
		line('warnings', JSON.stringify(warnings));
	}

	summary.append = {
		answers: answersTotal,
		wallSeconds: totalMs / 1000,
		addSecondsTotal: sum / 1000,
		at1kStored: at1k,
		at1MStoredLast10k: last10k,
		at1MStoredLast1k: last1k,
		all,
		slowerThan1ms: over(1),
		slowerThan10ms: over(10),
		slowerThan100ms: over(100),
		folds: {count: folds.length, totalSeconds: foldMs / 1000, each: folds},
		gc: {
			count: pauses.length, totalSeconds: gcMs / 1000, maxMs: gcMax, slowAppendsInGc: slowInGc, over10msAppendsInGc: verySlowInGc,
		},
		rssAfterAppendsMiB: rssAfterAppends,
		warnings,
	};

	// 2. Close (fold) and open

	heading('2. close (final fold) and open the database');
	const journalBeforeClose = fileSize(`${file}.journal`);
	const closeStarted = now();
	await database.close();
	const closeMs = msSince(closeStarted);
	const documentBytes = fileSize(file);
	const journalBytes = fileSize(`${file}.journal`);
	line('db.close() (final fold: document rewrite)', `${fixed(closeMs, 0)} ms`);
	line('journal size', `${fixed(mib(journalBytes), 1)} MiB (${grouped(journalBytes)} bytes, ${fixed(journalBytes / answersTotal, 0)} bytes/answer)`);
	line('document size', `${fixed(mib(documentBytes), 1)} MiB (${grouped(documentBytes)} bytes)`);
	if (journalBeforeClose !== journalBytes) {
		fail(`the journal changed size on close (${journalBeforeClose} -> ${journalBytes})`);
	}

	const folded = await timeOpen(file);
	line('open folded database (Database.open + count, fresh process)', `${fixed(folded.openMs, 0)} ms, count ${grouped(folded.count)}, RSS ${fixed(folded.rssMiB, 0)} MiB (heap ${fixed(folded.heapUsedMiB, 0)} MiB)`);
	const foldedAgain = await timeOpen(file);
	line('open folded database again', `${fixed(foldedAgain.openMs, 0)} ms, count ${grouped(foldedAgain.count)}, RSS ${fixed(foldedAgain.rssMiB, 0)} MiB`);
	if (folded.count !== answersTotal || foldedAgain.count !== answersTotal) {
		fail(`open counted ${folded.count} answers, not ${answersTotal}`);
	}

	// The same journal with no document: open replays every line.
	const unfoldedFile = path.join(folder, 'unfolded', 'db.json');
	fs.mkdirSync(path.dirname(unfoldedFile));
	fs.copyFileSync(`${file}.journal`, `${unfoldedFile}.journal`);
	const unfolded = await timeOpen(unfoldedFile);
	line('open UNFOLDED database (no document, replays whole journal)', `${fixed(unfolded.openMs, 0)} ms, count ${grouped(unfolded.count)}, RSS ${fixed(unfolded.rssMiB, 0)} MiB (heap ${fixed(unfolded.heapUsedMiB, 0)} MiB)`);
	if (unfolded.count !== answersTotal) {
		fail(`unfolded open counted ${unfolded.count} answers, not ${answersTotal}`);
	}

	for (const [label, result] of [['folded', folded], ['unfolded', unfolded]] as const) {
		if (result.warnings.length > 0) {
			line(`warnings on ${label} open`, JSON.stringify(result.warnings));
		}
	}

	fs.rmSync(path.dirname(unfoldedFile), {recursive: true, force: true});
	summary.openClose = {
		closeFoldMs: closeMs,
		journalBytes,
		documentBytes,
		openFolded: folded,
		openFoldedAgain: foldedAgain,
		openUnfolded: unfolded,
	};
	return file;
}

// 3. Crash test

async function crashTest(folder: string): Promise<void> {
	heading(`3. crash test: SIGKILL a writer ${kills} times, 20-300 ms after it is ready`);
	const file = path.join(folder, 'crash', 'db.json');
	const acknowledged: string[] = [];
	const childWarnings: string[] = [];
	const delays: number[] = [];
	let killedBySignal = 0;
	let partialLines = 0;
	const writerFolds = {started: 0, killedDuring: 0};
	const foldMs: number[] = [];
	const started = now();
	for (let round = 0; round < kills; round++) {
		let timer: NodeJS.Timeout | undefined;
		let ready = false;
		let folding = false;
		// Small folds, often, so that some kills land in the middle of one.
		const arguments_ = [file, ...writerOptions({
			prefix: `k${round}`, dataset: 'crash', 'fold-after': 8192, 'yield-every': 20,
		})];
		const {child, done} = runHelper('store-writer.ts', arguments_, (text, writer) => {
			if (text === 'ready') {
				ready = true;
				const delay = 20 + (Math.random() * 280);
				delays.push(delay);
				timer = setTimeout(() => {
					writer.kill('SIGKILL');
				}, delay);
			} else if (text.startsWith('ack ')) {
				acknowledged.push(text.slice(4));
			} else if (text === 'fold-start') {
				folding = true;
				writerFolds.started++;
			} else if (text.startsWith('fold-end ')) {
				folding = false;
				foldMs.push(Number(text.slice(9)));
			} else if (text.startsWith('warning ')) {
				childWarnings.push(`[writer ${round}] ${JSON.parse(text.slice(8)) as string}`);
			}
		});
		const safety = setTimeout(() => {
			child.kill('SIGKILL');
		}, 60_000);
		const result = await done;
		clearTimeout(timer);
		clearTimeout(safety);
		if (result.partial !== '') {
			partialLines++;
		}

		if (result.signal === 'SIGKILL' && ready) {
			killedBySignal++;
			writerFolds.killedDuring += folding ? 1 : 0;
		} else {
			fail(`writer ${round} ended with code ${result.code}, signal ${result.signal}${ready ? '' : ' before it was ready'}:\n${result.stderr}`);
		}
	}

	const writersMs = msSince(started);
	const openWarnings: string[] = [];
	const openStarted = now();
	const database = Database.open(file, {
		onWarning(message) {
			openWarnings.push(message);
		},
	});
	const stored = database.examples('crash');
	const openMs = msSince(openStarted);
	const ids = new Set(stored.map(example => String(example.task.meta?.id)));
	const lost = acknowledged.filter(id => !ids.has(id));
	const acknowledgedSet = new Set(acknowledged);
	const unacknowledged = [...ids].filter(id => !acknowledgedSet.has(id)).length;
	await database.close();

	const badLines: BadLine[] = [];
	new Journal(`${file}.journal`).scan({offset: 0, lines: 0}, () => undefined, {
		atEnd: true,
		onBad(bad) {
			badLines.push(bad);
		},
	});
	const leftovers = fs.readdirSync(path.dirname(file)).filter(name => name !== 'db.json' && name !== 'db.json.journal');

	line('kills', `${killedBySignal} of ${kills} writers killed by SIGKILL (${fixed(writersMs / 1000, 1)} s, delays ${fixed(Math.min(...delays), 0)}-${fixed(Math.max(...delays), 0)} ms)`);
	line('acknowledged', grouped(acknowledged.length));
	line('stored', `${grouped(stored.length)} (${grouped(unacknowledged)} written but killed before their ack; ${grouped(stored.length - ids.size)} duplicates)`);
	line('lost (acknowledged but missing)', `${lost.length}${lost.length > 0 ? ` e.g. ${lost.slice(0, 5).join(', ')}` : ''}`);
	line('stdout lines cut short by a kill', String(partialLines));
	line('background folds in the writers / killed during a fold', `${writerFolds.started} (${fixed(Math.max(0, ...foldMs), 0)} ms longest) / ${writerFolds.killedDuring}`);
	line('final open (Database.open + examples)', `${fixed(openMs, 0)} ms`);
	line('warnings on final open', String(openWarnings.length));
	for (const warning of openWarnings) {
		console.log(`    ${warning}`);
	}

	line('warnings printed by the writers as they opened', String(childWarnings.length));
	for (const warning of childWarnings) {
		console.log(`    ${warning}`);
	}

	line('bad journal lines (truncated / damaged)', `${badLines.filter(bad => bad.truncated).length} / ${badLines.filter(bad => !bad.truncated).length}`);
	line('files left beside the database', leftovers.length > 0 ? leftovers.join(', ') : 'none');
	if (lost.length > 0) {
		fail(`${lost.length} acknowledged answers were lost in the crash test`);
	}

	if (stored.length !== ids.size) {
		fail(`${stored.length - ids.size} answers are stored twice after the crash test`);
	}

	summary.crash = {
		kills: killedBySignal,
		acknowledged: acknowledged.length,
		stored: stored.length,
		unacknowledgedStored: unacknowledged,
		lost: lost.length,
		writerFolds: writerFolds.started,
		killedDuringFold: writerFolds.killedDuring,
		openWarnings,
		writerWarnings: childWarnings,
		badLines: badLines.map(bad => ({line: bad.line, truncated: bad.truncated, length: bad.text.length})),
		leftoverFiles: leftovers,
	};
}

// 4. Two writers at once

async function concurrencyTest(folder: string): Promise<void> {
	heading(`4. concurrency: two writer processes append ${grouped(perWriter)} answers each at once`);
	const file = path.join(folder, 'concurrent', 'db.json');
	const started = now();
	// Fold often, so that the two contend for the fold lock too.
	const writers = ['a', 'b'].map(prefix => runHelper('store-writer.ts', [file, ...writerOptions({
		prefix, count: perWriter, dataset: 'concurrent', 'fold-after': 262_144, 'yield-every': 100,
	})]));
	const results = await Promise.all(writers.map(async writer => writer.done));
	const writersMs = msSince(started);
	for (const [index, result] of results.entries()) {
		const acks = result.lines.filter(text => text.startsWith('ack ')).length;
		if (result.code !== 0 || !result.lines.includes('done') || acks !== perWriter) {
			fail(`writer ${index} ended with code ${result.code}, signal ${result.signal}, ${acks} acks:\n${result.stderr}`);
		}
	}

	const warnings: string[] = [];
	const database = Database.open(file, {
		onWarning(message) {
			warnings.push(message);
		},
	});
	const count = database.count();
	const ids = new Set(database.examples('concurrent').map(example => String(example.task.meta?.id)));
	database.closeSync();
	let missing = 0;
	for (const prefix of ['a', 'b']) {
		for (let n = 0; n < perWriter; n++) {
			missing += ids.has(`${prefix}-${n}`) ? 0 : 1;
		}
	}

	let journalTasks = 0;
	let journalLines = 0;
	const {bad} = new Journal(`${file}.journal`).scan({offset: 0, lines: 0}, operation => {
		journalLines++;
		if (operation.op === 'add') {
			journalTasks += operation.tasks.length;
		}
	}, {atEnd: true});
	line('wall time for both writers (incl. process start)', `${fixed(writersMs / 1000, 1)} s`);
	line('count after both', `${grouped(count)} (expected ${grouped(2 * perWriter)}), distinct ids ${grouped(ids.size)}, missing ${missing}`);
	line('journal records / answers in them', `${grouped(journalLines)} / ${grouped(journalTasks)}`);
	line('journal lines that do not parse', String(bad.length));
	line('warnings on open', warnings.length > 0 ? JSON.stringify(warnings) : '0');
	if (count !== 2 * perWriter || ids.size !== 2 * perWriter || missing > 0) {
		fail(`concurrency: count ${count}, distinct ids ${ids.size}, missing ${missing}; expected ${2 * perWriter}`);
	}

	if (bad.length > 0) {
		fail(`concurrency: ${bad.length} journal lines do not parse (interleaved writes?)`);
	}

	summary.concurrency = {
		writers: 2,
		perWriter,
		wallSeconds: writersMs / 1000,
		count,
		distinctIds: ids.size,
		missing,
		journalRecords: journalLines,
		badLines: bad.length,
		warnings,
	};
}

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-bench-store-'));
const cleanUp = () => {
	killChildren();
	fs.rmSync(folder, {recursive: true, force: true});
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		cleanUp();
		process.exit(130);
	});
}

console.log('inkling store benchmark');
line('node', process.version);
line('platform', `${os.platform()} ${os.release()} ${os.arch()}`);
line('cpus', `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`);
line('memory', `${fixed(os.totalmem() / (1024 ** 3), 1)} GiB`);
line('temporary folder', folder);
Object.assign(summary, {
	node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
});

try {
	await appendMillion(folder);
	fs.rmSync(path.join(folder, 'million'), {recursive: true, force: true});
	await crashTest(folder);
	await concurrencyTest(folder);
} catch (error) {
	fail(`the benchmark stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
	cleanUp();
}

summary.failures = failures;
heading(failures.length === 0 ? 'all checks passed' : `${failures.length} check(s) FAILED`);
console.log(JSON.stringify(summary));
process.exitCode = failures.length === 0 ? 0 : 1;
