import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {LowSync, type SyncAdapter} from 'lowdb';
import {UserError} from '../errors.js';
import {withHashes} from '../task/hash.js';
import type {HashedTask, Task} from '../task/task.js';
import {
	DocumentFile, emptyDocument, salvageDocument, type DatasetInfo, type Document, type SessionInfo, type StoredExample,
} from './document-file.js';
import {
	Journal, type BadLine, type Operation, type Position,
} from './journal.js';
import {lock, tryLock} from './lock.js';

export type DatabaseOptions = {
	/** Told about recoverable problems (a truncated last journal line). */
	onWarning?: (message: string) => void;
	/** The document adapter; a file beside the journal unless given (tests pass lowdb's MemorySync). */
	adapter?: SyncAdapter<Document>;
	/**
	 * Fold the journal into the document once this many bytes are unfolded
	 * (default: 8 MiB or a quarter of the journal folded so far, whichever is
	 * more, so that rewriting the document costs a constant share of appending).
	 */
	foldAfterBytes?: number;
	/**
	 * When appends reach the disk: `'now'` (the default) before `add` returns;
	 * `'soon'` written before `add` returns and flushed on the event loop's
	 * next turn (see Journal), for screens that draw the next frame first.
	 */
	flush?: 'now' | 'soon';
};

/** Tasks per journal line when an import is large: one line stays well under what JSON.parse takes. */
const tasksPerLine = 20_000;

/** A session's time stamp in its id: `YYYY-MM-DD_HH-MM-SS`, local time. */
export function sessionStamp(date = new Date()): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

/** Remove `<file>.<pid>.tmp` files left by folds of processes that were killed. */
function removeStaleTemporaryFiles(file: string): void {
	const folder = path.dirname(file);
	const prefix = `${path.basename(file)}.`;
	let names: string[];
	try {
		names = fs.readdirSync(folder);
	} catch {
		return;
	}

	for (const name of names) {
		const match = name.startsWith(prefix) ? /^(\d+)\.tmp$/u.exec(name.slice(prefix.length)) : null;
		if (!match) {
			continue;
		}

		const pid = Number(match[1]);
		try {
			process.kill(pid, 0);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
				fs.rmSync(path.join(folder, name), {force: true});
			}
		}
	}
}

/** Apply one journal operation to the document. Deterministic, so every process folds the same journal to the same document. */
export function applyOperation(document: Document, operation: Operation): void {
	switch (operation.op) {
		case 'dataset': {
			document.datasets[operation.name] ??= {created: operation.created, ...(operation.meta ? {meta: operation.meta} : {})};
			break;
		}

		case 'session': {
			document.datasets[operation.dataset] ??= {created: operation.created};
			document.sessions[operation.id] ??= {dataset: operation.dataset, created: operation.created, ...(operation.meta ? {meta: operation.meta} : {})};
			break;
		}

		case 'add': {
			if (operation.txn) {
				(document.pending[operation.txn] ??= []).push({...operation, txn: undefined});
				break;
			}

			document.datasets[operation.dataset] ??= {created: Math.floor(Date.now() / 1000)};
			for (const task of operation.tasks) {
				document.examples.push({dataset: operation.dataset, session: operation.session, task});
			}

			break;
		}

		case 'commit': {
			const operations = document.pending[operation.txn] ?? [];
			delete document.pending[operation.txn];
			for (const pending of operations) {
				applyOperation(document, pending);
			}

			break;
		}

		case 'drop-dataset': {
			delete document.datasets[operation.name];
			document.examples = document.examples.filter(example => example.dataset !== operation.name);
			for (const [id, session] of Object.entries(document.sessions)) {
				if (session.dataset === operation.name) {
					delete document.sessions[id];
				}
			}

			break;
		}

		case 'remove': {
			// The latest answer of the session on that task: an undone answer.
			const index = document.examples.findLastIndex(example => example.dataset === operation.dataset && example.session === operation.session && example.task._task_hash === operation.taskHash);
			if (index !== -1) {
				document.examples.splice(index, 1);
			}

			break;
		}

		case 'drop-session': {
			delete document.sessions[operation.id];
			document.examples = document.examples.filter(example => example.session !== operation.id);
			break;
		}
	}
}

/**
 * The annotation store: a lowdb JSON document plus an append-only journal
 * beside it. Every change is a journal line, flushed before the call returns;
 * the journal is folded into the document under a lock, in the background and
 * on close, and replayed on open. Several processes may append at once.
 */
export class Database {
	/** Open (or create) the database at `file`. */
	static open(file: string, options: DatabaseOptions = {}): Database {
		fs.mkdirSync(path.dirname(path.resolve(file)), {recursive: true});
		return new Database(file, options);
	}

	readonly journal: Journal;
	readonly #low: LowSync<Document>;
	readonly #options: DatabaseOptions;
	readonly #lockFile: string;
	#position: Position;
	#foldedOffset: number;
	#unfoldedBytes = 0;
	#foldTimer: NodeJS.Timeout | undefined;
	#index: Map<string, StoredExample[]> | undefined;
	#closed = false;

	private constructor(readonly file: string, options: DatabaseOptions) {
		this.#options = options;
		this.journal = new Journal(`${file}.journal`, options.flush);
		this.#lockFile = `${file}.lock`;
		this.#low = new LowSync(options.adapter ?? new DocumentFile(file), emptyDocument());
		this.#low.read();
		const document = this.#low.data;
		const size = this.journal.size();
		if (size < document.journal.offset) {
			this.#warn(`${this.journal.file} is shorter (${size} bytes) than ${file} has read of it (${document.journal.offset} bytes): was it replaced? Reading it from its end on.`);
			document.journal = {offset: size, lines: document.journal.lines};
		}

		this.#foldedOffset = document.journal.offset;
		this.#position = document.journal;
		this.#scan(true);
		removeStaleTemporaryFiles(file);
	}

	get #document(): Document {
		return this.#low.data;
	}

	#warn(message: string): void {
		this.#options.onWarning?.(message);
	}

	#scan(atEnd = false): void {
		const {position, bad} = this.journal.scan(this.#position, operation => {
			applyOperation(this.#document, operation);
			this.#index = undefined;
		}, {atEnd});
		this.#position = position;
		for (const line of bad) {
			this.#warn(line.truncated
				? `${this.journal.file}:${line.line}: dropped a line cut short by a crash or kill (never acknowledged, so no saved answer is lost)`
				: `${this.journal.file}:${line.line}: skipped a damaged line`);
		}
	}

	/** Read what other processes have appended since the last look. */
	refresh(): void {
		this.#scan();
	}

	#append(operations: Operation[]): void {
		if (this.#closed) {
			throw new Error('The database is closed');
		}

		this.#unfoldedBytes += this.journal.append(operations);
		if (this.#unfoldedBytes > (this.#options.foldAfterBytes ?? Math.max(8 * 1024 * 1024, this.#foldedOffset / 4))) {
			this.#scheduleFold();
		}
	}

	#scheduleFold(): void {
		this.#foldTimer ??= setTimeout(() => {
			this.#foldTimer = undefined;
			this.fold();
		}, 200).unref();
	}

	/** Names of the datasets, in order of creation. */
	datasets(): string[] {
		this.refresh();
		return Object.entries(this.#document.datasets)
			.sort(([, a], [, b]) => a.created - b.created)
			.map(([name]) => name);
	}

	dataset(name: string): DatasetInfo | undefined {
		this.refresh();
		return this.#document.datasets[name];
	}

	/** Sessions of a dataset (or all), with their ids. */
	sessions(dataset?: string): Array<SessionInfo & {id: string}> {
		this.refresh();
		return Object.entries(this.#document.sessions)
			.filter(([, session]) => dataset === undefined || session.dataset === dataset)
			.map(([id, session]) => ({id, ...session}));
	}

	/** The stored examples of a dataset, in the order they were saved. */
	examples(dataset: string): StoredExample[] {
		this.refresh();
		if (!this.#index) {
			this.#index = new Map();
			for (const example of this.#document.examples) {
				let list = this.#index.get(example.dataset);
				if (!list) {
					list = [];
					this.#index.set(example.dataset, list);
				}

				list.push(example);
			}
		}

		return this.#index.get(dataset) ?? [];
	}

	/** How many examples the database holds in all. */
	count(): number {
		this.refresh();
		return this.#document.examples.length;
	}

	/** Create a dataset if it does not exist. */
	ensureDataset(name: string, meta?: Record<string, unknown>): void {
		if (name.trim() === '') {
			throw new UserError('A dataset name cannot be empty.');
		}

		if (!this.dataset(name)) {
			this.#append([{
				op: 'dataset', name, created: Math.floor(Date.now() / 1000), ...(meta ? {meta} : {}),
			}]);
			this.refresh();
		}
	}

	/** Start a session on a dataset (creating the dataset if needed) and return its id: `dataset-YYYY-MM-DD_HH-MM-SS`, or `dataset-name` when named. */
	startSession(dataset: string, options: {name?: string; meta?: Record<string, unknown>} = {}): string {
		this.ensureDataset(dataset);
		let id = `${dataset}-${options.name ?? sessionStamp()}`;
		if (!options.name) {
			const taken = new Set(Object.keys(this.#document.sessions));
			for (let n = 2; taken.has(id); n++) {
				id = `${dataset}-${sessionStamp()}-${n}`;
			}
		}

		this.#append([{
			op: 'session', id, dataset, created: Math.floor(Date.now() / 1000), ...(options.meta ? {meta: options.meta} : {}),
		}]);
		this.refresh();
		return id;
	}

	/**
	 * Save one answer. It is on disk (the journal flushed) when this returns;
	 * costs the same however many answers are stored.
	 */
	add(dataset: string, session: string, task: Task): HashedTask {
		const hashed = withHashes(task);
		this.#append([{
			op: 'add', dataset, session, tasks: [hashed],
		}]);
		return hashed;
	}

	/** Take back a session's latest answer on a task (an undo); on disk when this returns. */
	remove(dataset: string, session: string, taskHash: number): void {
		this.#append([{
			op: 'remove', dataset, session, taskHash,
		}]);
	}

	/**
	 * Save many tasks at once: all of them or, after a crash, none. Large
	 * imports are several journal lines and a commit line.
	 */
	addMany(dataset: string, session: string, tasks: readonly Task[]): HashedTask[] {
		const hashed = tasks.map(task => withHashes(task));
		if (hashed.length <= tasksPerLine) {
			this.#append([{
				op: 'add', dataset, session, tasks: hashed,
			}]);
			return hashed;
		}

		const txn = randomBytes(8).toString('hex');
		for (let index = 0; index < hashed.length; index += tasksPerLine) {
			this.#append([{
				op: 'add', dataset, session, txn, tasks: hashed.slice(index, index + tasksPerLine),
			}]);
		}

		this.#append([{op: 'commit', txn}]);
		return hashed;
	}

	/**
	 * Copy in a dataset as another store holds it: its creation time and meta,
	 * its sessions, and its examples in order, hashes as they are (db-copy).
	 * The examples are one transaction: all of them or, after a crash, none.
	 */
	importDataset(name: string, info: DatasetInfo, sessions: ReadonlyArray<SessionInfo & {id: string}>, examples: readonly StoredExample[]): void {
		if (this.dataset(name)) {
			throw new UserError(`${this.file} already has a dataset "${name}": drop it first, or copy into another database.`);
		}

		this.#append([
			{
				op: 'dataset', name, created: info.created, ...(info.meta ? {meta: info.meta} : {}),
			},
			...sessions.map(session => ({
				op: 'session' as const, id: session.id, dataset: name, created: session.created, ...(session.meta ? {meta: session.meta} : {}),
			})),
		]);
		const txn = randomBytes(8).toString('hex');
		for (let index = 0; index < examples.length; index += tasksPerLine) {
			const chunk = examples.slice(index, index + tasksPerLine);
			// Consecutive examples of one session share a line.
			for (let start = 0; start < chunk.length;) {
				let end = start + 1;
				while (end < chunk.length && chunk[end]!.session === chunk[start]!.session) {
					end++;
				}

				this.#append([{
					op: 'add', dataset: name, session: chunk[start]!.session, txn, tasks: chunk.slice(start, end).map(example => example.task),
				}]);
				start = end;
			}
		}

		this.#append([{op: 'commit', txn}]);
		this.refresh();
	}

	/** Drop a dataset with its sessions and examples, or one session's examples. */
	drop(name: string): {kind: 'dataset' | 'session'; examples: number} {
		this.refresh();
		if (this.#document.datasets[name]) {
			const examples = this.examples(name).length;
			this.#append([{op: 'drop-dataset', name}]);
			this.refresh();
			return {kind: 'dataset', examples};
		}

		if (this.#document.sessions[name]) {
			const examples = this.#document.examples.filter(example => example.session === name).length;
			this.#append([{op: 'drop-session', id: name}]);
			this.refresh();
			return {kind: 'session', examples};
		}

		throw new UserError(`There is no dataset or session "${name}" in ${this.file}. \`inkling stats -l\` lists the datasets.`);
	}

	/**
	 * Fold the journal into the document, if no other process is folding.
	 * Folds are deterministic, so this process's reading of the journal, taken
	 * to its end under the lock, is at least as far as any earlier fold.
	 */
	fold(): boolean {
		const release = tryLock(this.#lockFile);
		if (!release) {
			return false;
		}

		try {
			this.#foldLocked();
			return true;
		} finally {
			release();
		}
	}

	#foldLocked(): void {
		this.refresh();
		if (this.#position.offset === this.#foldedOffset && fs.existsSync(this.file)) {
			return;
		}

		this.#document.journal = this.#position;
		this.#low.write();
		this.#foldedOffset = this.#position.offset;
		this.#unfoldedBytes = 0;
	}

	/** Fold what is left (waiting a little for another folder) and close the journal. */
	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}

		clearTimeout(this.#foldTimer);
		this.#foldTimer = undefined;
		const release = await lock(this.#lockFile, 2000);
		if (release) {
			try {
				this.#foldLocked();
			} finally {
				release();
			}
		}

		this.journal.close();
		this.#closed = true;
	}

	/** Close without folding (the journal holds everything). */
	closeSync(): void {
		clearTimeout(this.#foldTimer);
		this.journal.close();
		this.#closed = true;
	}
}

/**
 * Rebuild a database's document from its journal, keeping every readable
 * line. Damaged journal lines go to `<journal>.bad`; a document that cannot be
 * read is kept as `<file>.damaged`.
 */
export async function recoverDatabase(file: string): Promise<{examples: number; badLines: BadLine[]; damagedDocument: boolean}> {
	const release = await lock(`${file}.lock`, 5000);
	if (!release) {
		throw new UserError(`${file}.lock is held by a running inkling process: stop it, then run db-recover again.`);
	}

	try {
		const journal = new Journal(`${file}.journal`);
		let damagedDocument = false;
		let document = emptyDocument();
		let from: Position = {offset: 0, lines: 0};
		if (fs.existsSync(file)) {
			try {
				const existing = new DocumentFile(file).read();
				if (existing && journal.size() < existing.journal.offset) {
					// The journal lost what the document has: keep the document.
					document = existing;
					from = {offset: journal.size(), lines: existing.journal.lines};
				}
			} catch {
				damagedDocument = true;
				fs.copyFileSync(file, `${file}.damaged`);
				if (journal.size() === 0) {
					const salvaged = salvageDocument(fs.readFileSync(file, 'utf8'));
					document = salvaged.document ?? document;
				}
			}
		}

		const badLines: BadLine[] = [];
		const {position} = journal.scan(from, operation => {
			applyOperation(document, operation);
		}, {
			atEnd: true,
			onBad(bad) {
				badLines.push(bad);
			},
		});
		const damaged = badLines.filter(line => !line.truncated);
		if (damaged.length > 0) {
			fs.appendFileSync(`${journal.file}.bad`, damaged.map(line => `${line.line}\t${line.text}\n`).join(''));
		}

		document.journal = position;
		new DocumentFile(file).write(document);
		return {examples: document.examples.length, badLines, damagedDocument};
	} finally {
		release();
	}
}

export {type StoredExample, type DatasetInfo, type SessionInfo} from './document-file.js';
