// Key-to-screen latency of `inkling teach`: the real CLI in a pseudo-terminal
// (util-linux `script`, which gives it a pty and hands us its raw output as it
// is written), with the shipped model on the wasm backend. Answers questions at
// a human pace, at a held key's repeat rate, and in a burst while the worker
// updates the model, and prints
// p50/p99 from a key to the frame with the next question, and the time from
// start to the first question.
//
// With --trace, the CLI records what its screen's thread did (bench/key-trace.mjs),
// and the slowest keys are split into: reaching the CLI, the CLI's own work,
// and the frame reaching this process, with garbage collections and model
// messages on the screen's thread meanwhile.
//
// With --without, each pace runs once per variant, in turns (--rounds times):
// a variant is the speed-ups of source/speed-ups.ts to turn off, joined by
// "+" ("none" for all on), so each speed-up is measured against its absence
// in one run of the same machine.
//
// Usage: npm run bench:teach-latency -- [--answers 300] [--source FILE] [--backend wasm] [--pace human|repeat|burst|all] [--trace] [--model FOLDER] [--without none,fast-output,thread-priority,...] [--rounds 1]
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {speedUps} from '../source/speed-ups.js';

const {values} = parseArgs({
	options: {
		answers: {type: 'string', default: '300'},
		source: {type: 'string', default: path.resolve(import.meta.dirname, '../../shared/datasets/nhs_jobs/ads.jsonl')},
		backend: {type: 'string', default: 'wasm'},
		pace: {type: 'string', default: 'all'},
		trace: {type: 'boolean', default: false},
		// Another model than the shipped one (to compare two in one run).
		model: {type: 'string'},
		without: {type: 'string', default: 'none'},
		rounds: {type: 'string', default: '1'},
	},
});

const root = path.resolve(import.meta.dirname, '..');
const answers = Number(values.answers);

/** Paces. Human: a key 0.25-0.75 s after the next question shows; repeat: a key every 33 ms, as a held key repeats (30 a second), or at once if its question came later; burst: a key 5 ms after the next question shows. */
const paces = ['human', 'repeat', 'burst'] as const;
type Pace = typeof paces[number];

type Run = {startMs: number; latencies: number[]; queued: number[]; waits: number; dryAt: number[]; updates: number; keys: Key[]; trace: TraceEvent[]};
/** One answer's key: when it was sent and when its next question was on screen (monotonic ms). */
type Key = {index: number; sent: number; drawn: number};
type TraceEvent = {type: 'in' | 'out' | 'message' | 'gc' | 'file'; at: number; end?: number; bytes?: number; kind?: string; cpu?: {ran: number; waited: number}};

/** Monotonic milliseconds, on the clock bench/key-trace.mjs uses in the CLI. */
function now(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

function percentile(sorted: readonly number[], share: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

async function run(pace: Pace, without: string): Promise<Run> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-latency-'));
	const traceFile = path.join(folder, 'trace.json');
	const tracing = values.trace ? `INKLING_KEY_TRACE=${traceFile} NODE_OPTIONS=--import=${path.join(root, 'bench', 'key-trace.mjs')} ` : '';
	const command = [
		'stty cols 100 rows 30;',
		`exec env ${tracing}INKLING_WITHOUT=${without === 'none' ? '' : without.replaceAll('+', ',')} INKLING_DB=${folder}/db.json INKLING_BACKEND=${values.backend} ${process.execPath} ${root}/dist/source/bin.js`,
		`teach latency ${values.model ? path.resolve(values.model) : `${root}/models/job_titles`} ${values.source} -l JOB_TITLE --patterns ${root}/data/job-title-patterns.jsonl -o ${folder}/model`,
	].join(' ');
	const started = now();
	const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'inherit'], env: {...process.env, TERM: 'xterm-256color'}});
	let output = '';
	let arrived = 0;
	const listeners = new Set<() => void>();
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		output += chunk;
		arrived = now();
		for (const listener of listeners) {
			listener();
		}
	});
	// A CLI that stops (a bad path, an error) fails the wait at once, not after its timeout
	// ('close': after the last of its output has been read).
	let ended = false;
	child.on('close', () => {
		ended = true;
		for (const listener of listeners) {
			listener();
		}
	});

	/** Resolve with the time the output (since `from`) first matched. */
	async function until(pattern: RegExp, from: number, timeout = 60_000): Promise<number> {
		return new Promise((resolve, reject) => {
			const check = () => {
				if (pattern.test(output.slice(from))) {
					listeners.delete(check);
					clearTimeout(timer);
					resolve(arrived);
				} else if (ended) {
					listeners.delete(check);
					clearTimeout(timer);
					reject(new Error(`the CLI ended before ${String(pattern)}; the screen ends with:\n${output.slice(-2000)}`));
				}
			};

			const timer = setTimeout(() => {
				listeners.delete(check);
				reject(new Error(`no ${String(pattern)} within ${timeout} ms; the screen ends with:\n${output.slice(-2000)}`));
			}, timeout);
			listeners.add(check);
			check();
		});
	}

	try {
		const first = await until(/probability/, 0);
		const result: Run = {
			startMs: first - started, latencies: [], queued: [], waits: 0, dryAt: [], updates: 0, keys: [], trace: [],
		};
		let sent = now();
		for (let index = 1; index <= answers; index++) {
			await sleep(pace === 'human' ? 250 + (Math.random() * 500) : (pace === 'burst' ? 5 : Math.max(0, sent + 33 - now())));
			const from = output.length;
			sent = now();
			child.stdin.write(Math.random() < 0.3 ? 'a' : 'x');
			// The frame that counts this answer shows the next question, or says the model is reading ahead:
			// then the time is to the frame that shows the next question. (Told by the output since the key,
			// which holds that frame whether it is drawn whole or only its changed lines.)
			let drawn = await until(new RegExp(`answered ${index} this session`), from);
			const at = output.lastIndexOf(`answered ${index} this session`);
			if (output.slice(from, at).includes('reading ahead')) {
				result.waits++;
				result.dryAt.push(index);
				drawn = await until(/probability/, at);
			} else {
				result.queued.push(drawn - sent);
			}

			result.latencies.push(drawn - sent);
			result.keys.push({index, sent, drawn});
		}

		const updates = /(\d+) updates?, loss/.exec(output.slice(-3000));
		result.updates = updates ? Number(updates[1]) : 0;
		child.stdin.write('q');
		await until(/In-loop model saved|could not be saved/, 0, 60_000);
		if (values.trace) {
			if (child.exitCode === null && child.signalCode === null) {
				await new Promise(resolve => {
					child.on('exit', resolve);
				});
			}

			result.trace = JSON.parse(fs.readFileSync(traceFile, 'utf8')) as TraceEvent[];
		}

		return result;
	} finally {
		if (child.exitCode === null) {
			child.kill('SIGKILL');
		}

		fs.rmSync(folder, {recursive: true, force: true});
	}
}

const variants = values.without.split(',').map(variant => variant.trim()).filter(Boolean);
const rounds = Number(values.rounds);
const known = new Set<string>(['none', 'all', ...speedUps]);
for (const variant of variants) {
	const unknown = variant.split('+').find(name => !known.has(name));
	if (unknown !== undefined) {
		throw new Error(`--without ${variant}: "${unknown}" is not a speed-up; use none, all, or ${speedUps.join(', ')} joined by +`);
	}
}

console.log(`inkling teach latency, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, ${values.backend} backend, ${values.model ?? 'shipped models/job_titles'}, source ${path.basename(values.source)}, ${answers} answers per pace${variants.length > 1 || rounds > 1 ? `, ${rounds} round${rounds === 1 ? '' : 's'} of ${variants.length} variants in turn` : ''}`);
const chosen = paces.filter(pace => values.pace === 'all' || values.pace === pace);
if (chosen.length === 0) {
	throw new Error(`--pace ${values.pace}: use human, repeat, burst or all`);
}

/** The slowest keys of a traced run, split where their time went. */
function explain(pace: Pace, result: Run): void {
	const inputs = result.trace.filter(event => event.type === 'in');
	const outputs = result.trace.filter(event => event.type === 'out');
	const rows = result.keys.map(key => {
		const input = inputs.find(event => event.at >= key.sent - 0.5);
		// The frame's last write before this process saw it.
		const frame = outputs.findLast(event => input && event.at >= input.at && event.end! <= key.drawn + 0.01);
		const during = (event: TraceEvent) => event.end! >= key.sent && event.at <= key.drawn;
		return {
			key,
			toCli: input ? input.at - key.sent : Number.NaN,
			inCli: input && frame ? frame.end! - input.at : Number.NaN,
			// Of the CLI's time: on a CPU, and runnable but waiting for one.
			ran: input?.cpu && frame?.cpu ? frame.cpu.ran - input.cpu.ran : Number.NaN,
			waited: input?.cpu && frame?.cpu ? frame.cpu.waited - input.cpu.waited : Number.NaN,
			toBench: frame ? key.drawn - frame.end! : Number.NaN,
			gc: result.trace.filter(event => event.type === 'gc' && during(event)).map(event => `${(event.end! - event.at).toFixed(1)} ms ${event.kind ?? ''}`.trimEnd()),
			messages: result.trace.filter(event => event.type === 'message' && during(event)).map(event => event.kind),
			files: result.trace.filter(event => event.type === 'file' && during(event)).map(event => `${event.kind!} ${(event.end! - event.at).toFixed(1)} ms`),
			writes: result.trace.filter(event => event.type === 'out' && during(event) && event.end! - event.at > 1).map(event => `${(event.end! - event.at).toFixed(1)} ms`),
		};
	});
	const cli = rows.map(row => row.inCli).filter(value => Number.isFinite(value)).toSorted((a, b) => a - b);
	const first = result.keys[0]?.sent ?? 0;
	const collections = result.trace.filter(event => event.type === 'gc' && event.at >= first).map(event => event.end! - event.at).toSorted((a, b) => a - b);
	const total = collections.reduce((sum, ms) => sum + ms, 0);
	console.log(`${pace}, traced: the CLI's own time for a key p50 ${percentile(cli, 0.5).toFixed(1)} ms, p90 ${percentile(cli, 0.9).toFixed(1)} ms; while answering, ${collections.length} garbage collections on the screen's thread, ${total.toFixed(0)} ms in all, the longest ${(collections.at(-1) ?? 0).toFixed(1)} ms. Slowest keys:`);
	console.log('  answer   total  to CLI  in CLI  (ran, CPU wait)  to bench  on the screen\'s thread meanwhile');
	for (const row of rows.toSorted((a, b) => (b.key.drawn - b.key.sent) - (a.key.drawn - a.key.sent)).slice(0, 8)) {
		const meanwhile = [...row.gc.map(gc => `GC ${gc}`), ...row.messages.map(kind => `model ${kind}`), ...row.files.map(file => `file ${file}`), ...row.writes.map(write => `screen write ${write}`)].join(', ');
		console.log(`  ${String(row.key.index).padStart(6)} ${(row.key.drawn - row.key.sent).toFixed(1).padStart(7)} ${row.toCli.toFixed(1).padStart(7)} ${row.inCli.toFixed(1).padStart(7)} (${row.ran.toFixed(1).padStart(5)}, ${row.waited.toFixed(1).padStart(5)})  ${row.toBench.toFixed(1).padStart(9)}  ${meanwhile}`);
	}
}

const traced: Array<[Pace, Run]> = [];
const dry: Array<[string, number[]]> = [];
console.log('pace    without                 first question  key → next question  p50      p99      max     queue empty  model updates   p99 when a question was queued');
for (const pace of chosen) {
	const results = new Map<string, Run[]>(variants.map(variant => [variant, []]));
	for (let round = 0; round < rounds; round++) {
		for (const variant of variants) {
			const result = await run(pace, variant);
			results.get(variant)!.push(result);
			if (result.dryAt.length > 0) {
				dry.push([`${pace} without ${variant}`, result.dryAt]);
			}

			if (values.trace) {
				traced.push([pace, result]);
			}
		}
	}

	for (const [variant, runs] of results) {
		const sorted = runs.flatMap(result => result.latencies).toSorted((a, b) => a - b);
		const queued = runs.flatMap(result => result.queued).toSorted((a, b) => a - b);
		const starts = runs.map(result => (result.startMs / 1000).toFixed(2)).join('/');
		const waits = runs.reduce((sum, result) => sum + result.waits, 0);
		const updates = runs.map(result => result.updates).join('/');
		console.log(`${pace.padEnd(7)} ${variant.padEnd(23)} ${starts.padStart(10)} s ${''.padStart(19)}${percentile(sorted, 0.5).toFixed(1).padStart(5)} ms ${percentile(sorted, 0.99).toFixed(1).padStart(5)} ms ${sorted.at(-1)!.toFixed(1).padStart(6)} ms ${String(waits).padStart(8)} ${updates.padStart(12)}   ${queued.length > 0 ? `${percentile(queued, 0.99).toFixed(1)} ms of ${queued.length}` : '-'}`);
	}
}

for (const [pace, result] of traced) {
	explain(pace, result);
}

for (const [pace, dryAt] of dry) {
	console.log(`${pace}: the queue was empty at answers ${dryAt.join(', ')}`);
}

console.log('Goals: p99 < 16 ms from key to the next question on screen; first question < 2 s.');
