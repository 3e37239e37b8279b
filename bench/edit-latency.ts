// Key-to-screen latency of `inkling manual` and `inkling correct` (issue #5):
// the real CLI in a pseudo-terminal (util-linux `script`, which gives it a pty
// and hands us its raw output as it is written). Each headline gets a
// realistic mix of keys: a few cursor moves (l or →), a shift+→ selection, a
// number key to label it, sometimes d to delete the span again, enter to
// accept, and now and then u to go back to the previous example (and enter
// to accept it again).
//
// Ink draws each frame whole between the "synchronized output" marks
// (ESC [?2026h … ESC [?2026l), so the output is cut into frames there and
// each frame is read without its colours. A key's latency is the time from
// writing it to the arrival of the end of the first frame that differs from
// the one on screen before the key and shows what the key does: for a move,
// the new `token N/M`; for shift+→, the new position and `selected "…"`; for
// a label, `on LABEL` under the cursor with the selection gone (or the notice
// saying why it was refused); for d, no span under the cursor; for enter
// and u, the next `N this session`.
//
// Human pace: a random 80–250 ms pause after each key's frame, every key
// measured. Burst: each headline's keys 5 ms apart, then the time from the
// last key (its enter) to the frame that has caught up with it.
//
// Usage: npm run bench:edit-latency -- [--keys 1000] [--correct-keys 300] [--source FILE]
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {temporaryFolderFor} from './temporary.js';

const {values} = parseArgs({
	options: {
		keys: {type: 'string', default: '1000'},
		'correct-keys': {type: 'string'},
		source: {type: 'string', default: path.resolve(import.meta.dirname, '../../shared/datasets/prodigy_news_headlines/raw.jsonl')},
	},
});

const root = path.resolve(import.meta.dirname, '..');
const keys = Number(values.keys);
const correctKeys = values['correct-keys'] === undefined ? Math.min(300, keys) : Number(values['correct-keys']);
if (!Number.isInteger(keys) || keys < 1 || !Number.isInteger(correctKeys) || correctKeys < 0) {
	console.error('--keys and --correct-keys take a whole number of keys');
	process.exit(2);
}

if (!fs.existsSync(values.source)) {
	console.error(`--source ${values.source}: no such file`);
	process.exit(2);
}

const columns = 100;
const rows = 30;
const keyTimeout = 10_000;
const bsu = '\u001B[?2026h';
const esu = '\u001B[?2026l';
// CSI and OSC sequences, and two-character escapes.
// eslint-disable-next-line no-control-regex
const escapes = /\u001B(?:\[[0-?]*[ -/]*[@-~]|][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;
const right = ['l', '\u001B[C'];
const shiftRight = '\u001B[1;2C';
const refused = /Spans cannot overlap|Only whitespace is selected|Relabelled/;

type Kind = 'move' | 'select' | 'label' | 'delete' | 'accept' | 'back';

/** What a frame shows, read from its text. */
type View = {
	readonly text: string;
	/** The cursor's token, counted from 1, and the example's number of tokens, when an example is shown. */
	readonly token?: number;
	readonly tokens?: number;
	/** The line under the text: `token N/M · selected "…" · on LABEL`. */
	readonly cursorLine: string;
	/** `N this session`. */
	readonly count?: number;
	readonly exhausted: boolean;
};

function view(text: string): View {
	const lines = text.split(/\r?\n/);
	const cursorLine = lines.find(line => /^token \d+\/\d+/.test(line.trim()))?.trim() ?? '';
	const token = /^token (\d+)\/(\d+)/.exec(cursorLine);
	const count = /^(\d+) this session:/m.exec(text);
	return {
		text,
		...(token ? {token: Number(token[1]), tokens: Number(token[2])} : {}),
		cursorLine,
		...(count ? {count: Number(count[1])} : {}),
		exhausted: text.includes('No more examples'),
	};
}

const hasExample = (shown: View) => shown.token !== undefined || shown.exhausted;
const spanUnderCursor = (shown: View) => / · on \S+/.test(shown.cursorLine);

function percentile(sorted: readonly number[], share: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const quote = (value: string) => `'${value.replaceAll('\'', String.raw`'\''`)}'`;

/** Sessions still running, ended by their pid if the bench is interrupted. */
const live = new Set<Session>();

/** One run of the CLI in a pty, its output cut into frames. */
class Session {
	readonly started = performance.now();
	readonly child: ChildProcessWithoutNullStreams;
	/** The CLI's own pid (the shell that `script` starts prints its pid, then execs node). */
	pid: number | undefined;
	frames = 0;
	latest: View = view('');
	tail = '';
	exited: Promise<void>;
	#pending = '';
	readonly #listeners = new Set<(arrived?: number) => void>();

	constructor(arguments_: readonly string[], environment: Record<string, string>) {
		const command = `stty cols ${columns} rows ${rows}; echo "inkling-pid $$"; exec ${[process.execPath, path.join(root, 'dist/source/bin.js'), ...arguments_].map(item => quote(item)).join(' ')}`;
		const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color', ...environment};
		// Ink leaves out the synchronized-output marks in CI.
		delete env.CI;
		delete env.CONTINUOUS_INTEGRATION;
		this.child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'pipe'], env});
		this.exited = new Promise(resolve => {
			this.child.on('exit', () => {
				live.delete(this);
				resolve();
				for (const listener of this.#listeners) {
					listener();
				}
			});
		});
		live.add(this);
		this.child.stderr.setEncoding('utf8');
		this.child.stderr.on('data', (chunk: string) => {
			this.tail = (this.tail + chunk).slice(-4000);
		});
		this.child.stdout.setEncoding('utf8');
		this.child.stdout.on('data', (chunk: string) => {
			this.#read(chunk);
		});
	}

	#read(chunk: string) {
		const arrived = performance.now();
		this.tail = (this.tail + chunk).slice(-4000);
		if (this.pid === undefined) {
			const pid = /inkling-pid (\d+)/.exec(this.tail);
			if (pid) {
				this.pid = Number(pid[1]);
			}
		}

		this.#pending += chunk;
		let end = this.#pending.indexOf(esu);
		while (end !== -1) {
			const body = this.#pending.slice(0, end);
			const begin = body.lastIndexOf(bsu);
			this.latest = view((begin === -1 ? body : body.slice(begin + bsu.length)).replaceAll(escapes, ''));
			this.frames++;
			this.#pending = this.#pending.slice(end + esu.length);
			// Every frame is offered to every waiter, in order, stamped with the time its end arrived.
			for (const listener of this.#listeners) {
				listener(arrived);
			}

			end = this.#pending.indexOf(esu);
		}
	}

	write(bytes: string) {
		this.child.stdin.write(bytes);
	}

	/** The first frame after frame number `after` that `matches`, and the time its end arrived. */
	async until(matches: (shown: View) => boolean, after: number, timeout = keyTimeout): Promise<{at: number; shown: View; passed: number}> {
		return new Promise((resolve, reject) => {
			const fail = (reason: string) => {
				this.#listeners.delete(check);
				clearTimeout(timer);
				reject(new Error(`${reason}; the last frame was:\n${this.latest.text}\nand the output ends with:\n${JSON.stringify(this.tail.slice(-1500))}`));
			};

			// Frames that came before the one that matched.
			let passed = 0;
			const check = (arrived?: number) => {
				if (arrived === undefined) {
					if (this.child.exitCode !== null) {
						fail(`the CLI ended (exit code ${this.child.exitCode})`);
					}
				} else if (matches(this.latest)) {
					this.#listeners.delete(check);
					clearTimeout(timer);
					resolve({at: arrived, shown: this.latest, passed});
				} else {
					passed++;
				}
			};

			const timer = setTimeout(() => {
				fail(`no matching frame within ${timeout} ms`);
			}, timeout);
			this.#listeners.add(check);
			if (this.frames > after && matches(this.latest)) {
				this.#listeners.delete(check);
				clearTimeout(timer);
				resolve({at: performance.now(), shown: this.latest, passed});
			} else if (this.child.exitCode !== null) {
				fail(`the CLI ended (exit code ${this.child.exitCode})`);
			}
		});
	}

	/** Quit with q; if the CLI has not ended 30 s later, end it by its pid. */
	async quit() {
		this.write('q');
		let timer: NodeJS.Timeout | undefined;
		const ended = await Promise.race([
			this.exited.then(() => true),
			new Promise<boolean>(resolve => {
				timer = setTimeout(() => {
					resolve(false);
				}, 30_000);
			}),
		]);
		clearTimeout(timer);
		if (!ended || !/Annotated \d+ in this session/.test(this.tail)) {
			throw new Error(`q did not end the session cleanly; the output ends with:\n${JSON.stringify(this.tail.slice(-1500))}`);
		}
	}

	/** If it is still running, end the CLI by its own pid, and `script` by its pid. */
	kill() {
		if (this.child.exitCode !== null || this.child.signalCode !== null) {
			return;
		}

		for (const pid of [this.pid, this.child.pid]) {
			if (pid !== undefined) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// Already gone.
				}
			}
		}
	}
}

type Command = 'manual' | 'correct';
type Pace = 'human' | 'burst';

type Result = {
	command: Command;
	pace: Pace;
	/** From starting the CLI to the frame with the first example's text. */
	startMs: number;
	latencies: number[];
	byKind: Map<Kind, number[]>;
	sent: number;
	/** Enter frames that showed no next example yet (the source or the model still reading ahead). */
	noNext: number;
	/** Human pace: frames that came between a key and its own frame (the model's status, say), not counted as its frame. */
	otherFrames: number;
	/** Sessions started: a new one when the source is used up. */
	sessions: number;
};

const folder = temporaryFolderFor('edit-latency');

function start(command: Command, name: string): Session {
	const database = path.join(folder.path, `${name}.json`);
	if (command === 'manual') {
		return new Session(['manual', name, values.source, '-l', 'ORG,PERSON,LOCATION'], {INKLING_DB: database});
	}

	return new Session(['correct', name, path.join(root, 'models/job_titles'), path.join(root, 'data/job-ads.jsonl'), '-l', 'JOB_TITLE'], {INKLING_DB: database, INKLING_BACKEND: 'wasm'});
}

/** Human pace: each key after a pause, timed to its own frame; the next key's choice reads that frame. */
async function humanExample(session: Session, labels: readonly string[], result: Result, limit: number): Promise<void> {
	const press = async (bytes: string, kind: Kind, shows: (shown: View) => boolean): Promise<View> => {
		await sleep(80 + (Math.random() * 170));
		const before = session.latest.text;
		const after = session.frames;
		const sent = performance.now();
		session.write(bytes);
		const {at, shown, passed} = await session.until(frame => frame.text !== before && shows(frame), after);
		result.otherFrames += passed;
		result.latencies.push(at - sent);
		result.byKind.set(kind, [...result.byKind.get(kind) ?? [], at - sent]);
		result.sent++;
		return shown;
	};

	const left = () => limit - result.sent;
	let shown = session.latest;
	const count = shown.count!;
	if (count > 0 && Math.random() < 0.05 && left() >= 2) {
		await press('u', 'back', frame => frame.count === count - 1);
		shown = await press('\r', 'accept', frame => frame.count === count);
		if (shown.token === undefined) {
			({shown} = await session.until(hasExample, session.frames - 1));
			if (shown.exhausted) {
				return;
			}
		}
	}

	const moves = Math.min(1 + Math.floor(Math.random() * 4), shown.tokens! - 1 - shown.token!, left() - 2);
	for (let move = 0; move < moves; move++) {
		const token = shown.token! + 1;
		shown = await press(pick(right), 'move', frame => frame.token === token);
	}

	if (shown.token! < shown.tokens! && left() >= 3) {
		const token = shown.token! + 1;
		shown = await press(shiftRight, 'select', frame => frame.token === token && frame.cursorLine.includes('selected "'));
	}

	if (left() >= 2) {
		const label = pick(labels);
		shown = await press(String(labels.indexOf(label) + 1), 'label', frame => (frame.cursorLine.includes(` · on ${label}`) && !frame.cursorLine.includes('selected "')) || refused.test(frame.text));
	}

	if (spanUnderCursor(shown) && Math.random() < 0.2 && left() >= 2) {
		await press('d', 'delete', frame => !spanUnderCursor(frame));
	}

	const done = await press('\r', 'accept', frame => frame.count === count + 1);
	if (done.token === undefined && !done.exhausted) {
		result.noNext++;
	}
}

/** Burst: the example's keys 5 ms apart, timed from the last (enter) to the frame that has caught up with it. */
async function burstExample(session: Session, labels: readonly string[], result: Result): Promise<void> {
	const shown = session.latest;
	const count = shown.count!;
	const bytes: string[] = [];
	if (count > 0 && Math.random() < 0.05) {
		bytes.push('u', '\r');
	}

	const moves = Math.min(1 + Math.floor(Math.random() * 4), shown.tokens! - 1 - shown.token!);
	for (let move = 0; move < moves; move++) {
		bytes.push(pick(right));
	}

	if (shown.token! + moves < shown.tokens!) {
		bytes.push(shiftRight);
	}

	bytes.push(String(labels.indexOf(pick(labels)) + 1));
	if (Math.random() < 0.2) {
		bytes.push('d');
	}

	bytes.push('\r');
	let after = session.frames;
	let sent = performance.now();
	for (const [index, key] of bytes.entries()) {
		if (index > 0) {
			await sleep(5);
		}

		after = session.frames;
		sent = performance.now();
		session.write(key);
	}

	const {at, shown: done} = await session.until(frame => frame.count === count + 1, after);
	result.latencies.push(at - sent);
	result.sent += bytes.length;
	if (done.token === undefined && !done.exhausted) {
		result.noNext++;
	}
}

async function run(command: Command, pace: Pace, limit: number): Promise<Result> {
	const labels = command === 'manual' ? ['ORG', 'PERSON', 'LOCATION'] : ['JOB_TITLE'];
	const result: Result = {
		command, pace, startMs: 0, latencies: [], byKind: new Map(), sent: 0, noNext: 0, otherFrames: 0, sessions: 0,
	};
	while (result.sent < limit) {
		result.sessions++;
		const session = start(command, `${command}-${pace}-${result.sessions}`);
		try {
			const first = await session.until(frame => frame.token !== undefined, 0, 180_000);
			if (result.sessions === 1) {
				result.startMs = first.at - session.started;
			}

			while (result.sent < limit) {
				const {shown} = await session.until(hasExample, session.frames - 1, 60_000);
				if (shown.exhausted) {
					break;
				}

				await (pace === 'human' ? humanExample(session, labels, result, limit) : burstExample(session, labels, result));
			}

			await session.quit();
		} finally {
			session.kill();
		}
	}

	return result;
}

process.on('SIGINT', () => {
	for (const session of live) {
		session.kill();
	}

	folder.remove();
	process.exit(130);
});

const load = () => os.loadavg().map(value => value.toFixed(2)).join(' ');
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
console.log(`inkling manual/correct key → screen latency, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${columns}×${rows} pty (util-linux script)`);
console.log(`manual: ${path.basename(values.source)}, -l ORG,PERSON,LOCATION, ${keys} keys per pace · correct: shipped models/job_titles on wasm, data/job-ads.jsonl, -l JOB_TITLE, ${correctKeys} keys per pace`);
console.log(`load average before: ${load()}`);
console.log('command  pace   start → first example   key → screen p50       p99       max   keys measured   keys sent   no next example');
try {
	const results: Result[] = [];
	const runs: Array<[Command, number]> = [['manual', keys], ['correct', correctKeys]];
	for (const [command, limit] of runs) {
		if (limit === 0) {
			continue;
		}

		for (const pace of ['human', 'burst'] as const) {
			const result = await run(command, pace, limit);
			results.push(result);
			const sorted = result.latencies.toSorted((a, b) => a - b);
			console.log(`${command.padEnd(8)} ${pace.padEnd(6)} ${(result.startMs / 1000).toFixed(2).padStart(16)} s   ${''.padStart(6)}${ms(percentile(sorted, 0.5))} ${ms(percentile(sorted, 0.99))} ${ms(sorted.at(-1)!)} ${String(sorted.length).padStart(15)} ${String(result.sent).padStart(11)} ${String(result.noNext).padStart(17)}${result.sessions > 1 ? `   (${result.sessions} sessions: the source ran out)` : ''}`);
		}
	}

	console.log('Human pace by key (p50 / p99 / n):');
	for (const result of results.filter(item => item.pace === 'human')) {
		const parts = [...result.byKind].map(([kind, values]) => {
			const sorted = values.toSorted((a, b) => a - b);
			return `${kind} ${percentile(sorted, 0.5).toFixed(1)} / ${percentile(sorted, 0.99).toFixed(1)} ms / ${sorted.length}`;
		});
		console.log(`  ${result.command.padEnd(8)} ${parts.join(' · ')}; ${result.otherFrames} other frame${result.otherFrames === 1 ? '' : 's'} between a key and its own`);
	}

	console.log(`load average after: ${load()}`);
	console.log('Human pace: every key, from writing it to the end of its frame. Burst: keys 5 ms apart, from each example\'s last key (enter) to the frame that has caught up.');
	console.log('Goal (issue #5): key → screen update p99 < 16 ms.');
} finally {
	for (const session of live) {
		session.kill();
	}

	folder.remove();
}
