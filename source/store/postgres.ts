import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createHash} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import pg from 'pg';
import {UserError} from '../errors.js';
import {withHashes} from '../task/hash.js';
import type {HashedTask, Task} from '../task/task.js';
import {sessionStamp} from './database.js';
import type {DatasetInfo, SessionInfo, StoredExample} from './document-file.js';
import type {Operation} from './journal.js';
import {Outbox, type Numbered} from './outbox.js';
import {
	isConnectionError, prepareSchema, readVersion, redactUrl, serverProblem,
} from './postgres-schema.js';
import type {
	Answered, OpenOptions, Store, StoreStatus,
} from './store.js';

export type PostgresOptions = OpenOptions & {
	/** Where answers wait for the server (default: ~/.inkling/outbox/<server and database>). */
	outboxFolder?: string;
	/** Create or upgrade inkling's schema even beside another program's tables (`db-migrate`). */
	migrate?: boolean;
};

/** Rows per INSERT when many tasks are saved at once (6 parameters a row, PostgreSQL allows 65,535). */
const rowsPerInsert = 2000;
/** Operations per transaction when the outbox is sent. */
const operationsPerSend = 500;

/**
 * PostgreSQL's text cannot hold the character U+0000: it is kept as U+FFFD
 * (the replacement character), the one change a task makes on its way in.
 */
function taskJson(task: HashedTask): string {
	return JSON.stringify(task, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\0', '\uFFFD') : value));
}

/** A short name for the server and database, for folders on this machine. */
function serverKey(url: string): string {
	try {
		const parsed = new URL(url);
		const readable = `${parsed.hostname}-${parsed.port === '' ? '5432' : parsed.port}-${parsed.pathname.length > 1 ? parsed.pathname.slice(1) : 'postgres'}`.replaceAll(/[^\w.-]/gu, '_');
		const digest = createHash('sha256').update(`${parsed.username}@${parsed.host}${parsed.pathname}`).digest('hex').slice(0, 8);
		return `${readable}-${digest}`;
	} catch {
		return createHash('sha256').update(url).digest('hex').slice(0, 16);
	}
}

/** Where answers for this server wait on this machine: ~/.inkling/outbox/<host-port-database-hash>. */
export function outboxFolderFor(url: string, home = os.homedir()): string {
	return path.join(home, '.inkling', 'outbox', serverKey(url));
}

type Queued = {outbox: Outbox; operations: Numbered[]; own: boolean};

/** `db-migrate`: create or upgrade inkling's schema, beside any other program's tables. */
export async function migrateServer(url: string): Promise<{location: string; from: number | undefined; applied: number[]; version: number}> {
	const location = redactUrl(url);
	const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 5000, application_name: 'inkling db-migrate'});
	client.on('error', () => undefined);
	try {
		await client.connect();
		const {from, applied} = await prepareSchema(client, location, {migrate: true});
		return {
			location, from, applied, version: applied.at(-1) ?? from ?? 0,
		};
	} catch (error) {
		throw error instanceof UserError ? error : new UserError(serverProblem(error, location));
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** What `doctor` says of a server, read without changing anything there. */
export type ServerReport = {location: string; server?: string; schema?: number; examples?: number; waiting: number; problem?: string};

/** Look at a server for `doctor`: its version, inkling's schema there, and answers waiting on this machine for it. */
export async function probeServer(url: string): Promise<ServerReport> {
	const location = redactUrl(url);
	const folder = outboxFolderFor(url);
	let waiting = 0;
	try {
		waiting = fs.readdirSync(folder).filter(name => name.endsWith('.journal')).length;
	} catch {
		// No outbox folder: nothing waits.
	}

	const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 5000, application_name: 'inkling doctor'});
	client.on('error', () => undefined);
	try {
		await client.connect();
		const {rows} = await client.query<{version: string}>('SELECT current_setting(\'server_version\') AS version');
		const schema = await readVersion(client);
		const counted = schema === undefined ? undefined : await client.query<{count: string}>('SELECT count(*) AS count FROM inkling.examples');
		const examples = counted === undefined ? undefined : Number(counted.rows[0]!.count);
		return {
			location, server: rows[0]!.version, ...(schema === undefined ? {} : {schema}), ...(examples === undefined ? {} : {examples}), waiting,
		};
	} catch (error) {
		return {location, waiting, problem: serverProblem(error, location)};
	} finally {
		await client.end().catch(() => undefined);
	}
}

/**
 * The store on a PostgreSQL server (see `Store`). Reads query the server.
 * An answer (`add`, `remove`) is written to this process's outbox on local
 * disk before the call returns, then sent in the background, in order, in
 * transactions that also record how far the outbox is applied: an answer
 * reaches the server exactly once, whether the process, the connection or
 * the server goes away in between. While the server cannot be reached,
 * answers wait in the outbox (the status says so); they are sent when it is
 * back, or by the next inkling process that opens this database.
 */
export class PostgresStore implements Store {
	static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
		const location = redactUrl(url);
		const pool = new pg.Pool({
			connectionString: url, max: 3, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000, application_name: 'inkling',
		});
		// A connection the server or the network closed: the query on it fails (and is
		// retried, or reported), so the event itself needs no handling, but must have a
		// listener, idle in the pool or checked out between queries.
		pool.on('error', () => undefined);
		pool.on('connect', client => {
			client.on('error', () => undefined);
		});
		try {
			const client = await pool.connect();
			try {
				await prepareSchema(client, location, {migrate: options.migrate});
			} finally {
				client.release();
			}
		} catch (error) {
			await pool.end().catch(() => undefined);
			throw error instanceof UserError ? error : new UserError(serverProblem(error, location));
		}

		const key = serverKey(url);
		const store = new PostgresStore(pool, location, {
			...options,
			outboxFolder: options.outboxFolder ?? outboxFolderFor(url),
		}, path.join(os.homedir(), '.inkling', key));
		await store.#sendAdopted();
		return store;
	}

	readonly location: string;
	readonly localBase: string;
	readonly #pool: pg.Pool;
	readonly #options: PostgresOptions & {outboxFolder: string};
	#own: Queued | undefined;
	readonly #queues: Queued[] = [];
	#sending: Promise<void> | undefined;
	#status: StoreStatus = {reachable: true, queued: 0};
	readonly #listeners = new Set<(status: StoreStatus) => void>();
	#closed = false;
	/** A refusal that is not the connection (the server rejected an operation): sending stops, nothing is dropped. */
	#refused: string | undefined;

	private constructor(pool: pg.Pool, location: string, options: PostgresOptions & {outboxFolder: string}, localBase: string) {
		this.#pool = pool;
		this.location = location;
		this.#options = options;
		this.localBase = localBase;
	}

	/** The outboxes of processes that are gone: send them before anything is read. */
	async #sendAdopted(): Promise<void> {
		const adopted = Outbox.adopt(this.#options.outboxFolder);
		if (adopted.length === 0) {
			return;
		}

		const operations = adopted.reduce((sum, item) => sum + item.operations.length, 0);
		for (const item of adopted) {
			this.#queues.push({...item, own: false});
		}

		this.#update();
		await this.#drain(30_000);
		if (operations > 0 && this.#queued() === 0) {
			this.#options.onWarning?.(`sent ${operations} answer${operations === 1 ? '' : 's'} an earlier inkling process left on this machine for ${this.location}`);
		}
	}

	#queued(): number {
		return this.#queues.reduce((sum, queue) => sum + queue.operations.length, 0);
	}

	#update(change: Partial<StoreStatus> = {}): void {
		const next: StoreStatus = {...this.#status, ...change, queued: this.#queued()};
		if (next.reachable) {
			delete next.problem;
		}

		const same = next.reachable === this.#status.reachable && next.queued === this.#status.queued && next.problem === this.#status.problem;
		this.#status = next;
		if (!same) {
			for (const listener of this.#listeners) {
				listener(next);
			}
		}
	}

	get status(): StoreStatus {
		return this.#status;
	}

	onStatus(listener: (status: StoreStatus) => void): () => void {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	#enqueue(operation: Operation): void {
		if (this.#closed) {
			throw new Error('The database is closed');
		}

		this.#own ??= {outbox: Outbox.create(this.#options.outboxFolder, this.#options.flush ?? 'now'), operations: [], own: true};
		if (!this.#queues.includes(this.#own)) {
			this.#queues.push(this.#own);
		}

		const ordinal = this.#own.outbox.append(operation);
		this.#own.operations.push({ordinal, operation});
		this.#update();
		this.#kick();
	}

	#kick(): void {
		if (this.#sending !== undefined || this.#refused !== undefined) {
			return;
		}

		this.#sending = this.#sendAll().finally(() => {
			this.#sending = undefined;
		});
	}

	async #sendAll(): Promise<void> {
		let wait = 250;
		while (!this.#closed && this.#refused === undefined) {
			const queue = this.#queues.find(item => item.operations.length > 0);
			if (!queue) {
				return;
			}

			try {
				// eslint-disable-next-line no-await-in-loop
				await this.#send(queue, queue.operations.slice(0, operationsPerSend));
				wait = 250;
				this.#update({reachable: true});
			} catch (error) {
				if (!isConnectionError(error)) {
					this.#refused = serverProblem(error, this.location);
					this.#update({reachable: true, problem: this.#refused});
					this.#options.onWarning?.(`the server refused an answer (${this.#refused}); it stays in ${queue.outbox.file}, and later answers wait behind it`);
					return;
				}

				this.#update({reachable: false, problem: serverProblem(error, this.location)});
				// eslint-disable-next-line no-await-in-loop
				await sleep(wait, undefined, {ref: false});
				wait = Math.min(wait * 2, 5000);
			}
		}
	}

	/** Apply operations of one outbox in one transaction, skipping what the server says it has applied. */
	async #send(queue: Queued, batch: Numbered[]): Promise<void> {
		await (batch.every(item => item.operation.op === 'add') ? this.#sendAdds(queue, batch) : this.#sendMixed(queue, batch));

		queue.operations.splice(0, batch.length);
		if (queue.operations.length === 0 && !queue.own) {
			queue.outbox.remove();
			this.#queues.splice(this.#queues.indexOf(queue), 1);
		}

		this.#update({reachable: true});
	}

	/**
	 * Answers only (the common case): one statement, so one round trip and one
	 * commit. It reads how far the outbox was applied, inserts the rows after
	 * that, and records the new mark, atomically. Only the process holding the
	 * outbox's lock file sends it, so no two statements race on one outbox.
	 */
	async #sendAdds(queue: Queued, batch: Numbered[]): Promise<void> {
		const rows: Array<{ordinal: number; dataset: string; session: string; task: HashedTask}> = [];
		for (const {ordinal, operation} of batch) {
			if (operation.op === 'add') {
				rows.push(...operation.tasks.map(task => ({
					ordinal, dataset: operation.dataset, session: operation.session, task,
				})));
			}
		}

		await this.#pool.query(
			`WITH prior AS (
				SELECT coalesce((SELECT applied FROM inkling.outboxes WHERE id = $1), 0) AS applied
			), mark AS (
				INSERT INTO inkling.outboxes (id, applied) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET applied = greatest(inkling.outboxes.applied, excluded.applied), updated = now()
			), datasets AS (
				INSERT INTO inkling.datasets (name, created) SELECT DISTINCT name, $3::bigint FROM unnest($5::text[]) AS name
				ON CONFLICT (name) DO NOTHING
			)
			INSERT INTO inkling.examples (dataset, session, input_hash, task_hash, answer, task)
			SELECT dataset, session, input_hash, task_hash, answer, task
			FROM unnest($4::bigint[], $5::text[], $6::text[], $7::integer[], $8::integer[], $9::text[], $10::jsonb[])
				AS row (ordinal, dataset, session, input_hash, task_hash, answer, task)
			WHERE row.ordinal > (SELECT applied FROM prior)`,
			[
				queue.outbox.id,
				batch.at(-1)!.ordinal,
				Math.floor(Date.now() / 1000),
				rows.map(row => row.ordinal),
				...exampleColumns(rows),
			],
		);
	}

	/** Answers and undos: in one transaction, in order. */
	async #sendMixed(queue: Queued, batch: Numbered[]): Promise<void> {
		const client = await this.#pool.connect();
		let broken = false;
		try {
			await client.query('BEGIN');
			await client.query('INSERT INTO inkling.outboxes (id, applied) VALUES ($1, 0) ON CONFLICT (id) DO NOTHING', [queue.outbox.id]);
			const {rows} = await client.query<{applied: string}>('SELECT applied FROM inkling.outboxes WHERE id = $1 FOR UPDATE', [queue.outbox.id]);
			const applied = Number(rows[0]?.applied ?? 0);
			const todo = batch.filter(item => item.ordinal > applied);
			let adds: Array<{dataset: string; session: string; task: HashedTask}> = [];
			const flushAdds = async () => {
				if (adds.length > 0) {
					await insertExamples(client, adds);
					adds = [];
				}
			};

			for (const {operation} of todo) {
				if (operation.op === 'add') {
					adds.push(...operation.tasks.map(task => ({dataset: operation.dataset, session: operation.session, task})));
				} else if (operation.op === 'remove') {
					// eslint-disable-next-line no-await-in-loop
					await flushAdds();
					// eslint-disable-next-line no-await-in-loop
					await client.query('DELETE FROM inkling.examples WHERE id = (SELECT id FROM inkling.examples WHERE dataset = $1 AND session = $2 AND task_hash = $3 ORDER BY id DESC LIMIT 1)', [operation.dataset, operation.session, operation.taskHash]);
				}
			}

			await flushAdds();
			const last = batch.at(-1)!.ordinal;
			await client.query('UPDATE inkling.outboxes SET applied = $2, updated = now() WHERE id = $1', [queue.outbox.id, Math.max(applied, last)]);
			await client.query('COMMIT');
		} catch (error) {
			broken = isConnectionError(error);
			if (!broken) {
				await client.query('ROLLBACK').catch(() => undefined);
			}

			throw error;
		} finally {
			client.release(broken);
		}
	}

	/** Wait until every queued answer is on the server, or `timeout` ms; true when all are. */
	async #drain(timeout: number): Promise<boolean> {
		const until = Date.now() + timeout;
		while (this.#queued() > 0 && this.#refused === undefined && Date.now() < until) {
			this.#kick();
			// eslint-disable-next-line no-await-in-loop
			await Promise.race([this.#sending, sleep(Math.max(1, Math.min(200, until - Date.now())))]);
		}

		return this.#queued() === 0;
	}

	/** Read after this process's own answers reached the server, so a read sees them. */
	async #read<T>(work: (client: pg.Pool) => Promise<T>): Promise<T> {
		await this.#drain(10_000);
		try {
			return await work(this.#pool);
		} catch (error) {
			throw new UserError(serverProblem(error, this.location));
		}
	}

	async datasets(): Promise<string[]> {
		return this.#read(async client => {
			const {rows} = await client.query<{name: string}>('SELECT name FROM inkling.datasets ORDER BY created, name');
			return rows.map(row => row.name);
		});
	}

	async dataset(name: string): Promise<DatasetInfo | undefined> {
		return this.#read(async client => {
			const {rows} = await client.query<{created: string; meta: Record<string, unknown> | null}>('SELECT created, meta FROM inkling.datasets WHERE name = $1', [name]);
			const row = rows[0];
			return row ? {created: Number(row.created), ...(row.meta ? {meta: row.meta} : {})} : undefined;
		});
	}

	async sessions(dataset?: string): Promise<Array<SessionInfo & {id: string}>> {
		return this.#read(async client => {
			const {rows} = await client.query<{id: string; dataset: string; created: string; meta: Record<string, unknown> | null}>(
				dataset === undefined ? 'SELECT id, dataset, created, meta FROM inkling.sessions ORDER BY created, id' : 'SELECT id, dataset, created, meta FROM inkling.sessions WHERE dataset = $1 ORDER BY created, id',
				dataset === undefined ? [] : [dataset],
			);
			return rows.map(row => ({
				id: row.id, dataset: row.dataset, created: Number(row.created), ...(row.meta ? {meta: row.meta} : {}),
			}));
		});
	}

	async examples(dataset: string): Promise<StoredExample[]> {
		return this.#read(async client => {
			const {rows} = await client.query<{session: string; task: HashedTask}>('SELECT session, task FROM inkling.examples WHERE dataset = $1 ORDER BY id', [dataset]);
			return rows.map(row => ({dataset, session: row.session, task: row.task}));
		});
	}

	async count(): Promise<number> {
		return this.#read(async client => {
			const {rows} = await client.query<{count: string}>('SELECT count(*) AS count FROM inkling.examples');
			return Number(rows[0]!.count);
		});
	}

	async answered(dataset: string, options: {session?: string; recent?: number} = {}): Promise<Answered> {
		const where = options.session === undefined ? 'dataset = $1' : 'dataset = $1 AND session = $2';
		const parameters = options.session === undefined ? [dataset] : [dataset, options.session];
		return this.#read(async client => {
			// The hashes as two byte strings of 4-byte integers, read from the
			// covering index: a million of them arrive and decode in a fraction
			// of the time a million rows (or their text) take.
			const hashes = await client.query<{count: string; inputs: Buffer | null; tasks: Buffer | null}>(`SELECT count(*) AS count, string_agg(int4send(input_hash), ''::bytea) AS inputs, string_agg(int4send(task_hash), ''::bytea) AS tasks FROM inkling.examples WHERE ${where}`, parameters);
			const {count, inputs, tasks} = hashes.rows[0]!;
			const recent = (options.recent ?? 0) > 0
				? await client.query<{session: string; task: HashedTask}>(`SELECT session, task FROM (SELECT id, session, task FROM inkling.examples WHERE ${where} ORDER BY id DESC LIMIT ${Math.floor(options.recent!)}) AS latest ORDER BY id`, parameters)
				: undefined;
			const numbers = (bytes: Buffer | null) => {
				const found = new Set<number>();
				const length = bytes?.length ?? 0;
				for (let offset = 0; offset < length; offset += 4) {
					found.add(bytes!.readInt32BE(offset));
				}

				return found;
			};

			return {
				count: Number(count),
				inputs: numbers(inputs),
				tasks: numbers(tasks),
				recent: recent?.rows.map(row => ({dataset, session: row.session, task: row.task})) ?? [],
			};
		});
	}

	async ensureDataset(name: string, meta?: Record<string, unknown>): Promise<void> {
		if (name.trim() === '') {
			throw new UserError('A dataset name cannot be empty.');
		}

		await this.#read(async client => client.query('INSERT INTO inkling.datasets (name, created, meta) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, Math.floor(Date.now() / 1000), meta ?? null]));
	}

	async startSession(dataset: string, options: {name?: string; meta?: Record<string, unknown>} = {}): Promise<string> {
		await this.ensureDataset(dataset);
		const created = Math.floor(Date.now() / 1000);
		const insert = async (id: string) => this.#read(async client => client.query('INSERT INTO inkling.sessions (id, dataset, created, meta) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [id, dataset, created, options.meta ?? null]));
		if (options.name !== undefined) {
			// A named session goes on where it stopped, as in the JSON store.
			const id = `${dataset}-${options.name}`;
			await insert(id);
			return id;
		}

		const stamp = sessionStamp();
		for (let n = 1; ; n++) {
			const id = n === 1 ? `${dataset}-${stamp}` : `${dataset}-${stamp}-${n}`;
			// eslint-disable-next-line no-await-in-loop
			const result = await insert(id);
			if (result.rowCount === 1) {
				return id;
			}
		}
	}

	add(dataset: string, session: string, task: Task): HashedTask {
		const hashed = withHashes(task);
		this.#enqueue({
			op: 'add', dataset, session, tasks: [hashed],
		});
		return hashed;
	}

	remove(dataset: string, session: string, taskHash: number): void {
		this.#enqueue({
			op: 'remove', dataset, session, taskHash,
		});
	}

	async addMany(dataset: string, session: string, tasks: readonly Task[]): Promise<HashedTask[]> {
		const hashed = tasks.map(task => withHashes(task));
		await this.#drain(10_000);
		const client = await this.#connect();
		try {
			await client.query('BEGIN');
			await client.query('INSERT INTO inkling.datasets (name, created) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [dataset, Math.floor(Date.now() / 1000)]);
			for (let start = 0; start < hashed.length; start += rowsPerInsert) {
				// eslint-disable-next-line no-await-in-loop
				await insertExamples(client, hashed.slice(start, start + rowsPerInsert).map(task => ({dataset, session, task})));
			}

			await client.query('COMMIT');
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw new UserError(`${serverProblem(error, this.location)} Nothing was saved.`);
		} finally {
			client.release();
		}

		return hashed;
	}

	async importDataset(name: string, info: DatasetInfo, sessions: ReadonlyArray<SessionInfo & {id: string}>, examples: readonly StoredExample[]): Promise<void> {
		await this.#drain(10_000);
		const client = await this.#connect();
		try {
			await client.query('BEGIN');
			const created = await client.query('INSERT INTO inkling.datasets (name, created, meta) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, info.created, info.meta ?? null]);
			if (created.rowCount !== 1) {
				await client.query('ROLLBACK');
				throw new UserError(`${this.location} already has a dataset "${name}": drop it first, or copy into another database.`);
			}

			for (const session of sessions) {
				// eslint-disable-next-line no-await-in-loop
				await client.query('INSERT INTO inkling.sessions (id, dataset, created, meta) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [session.id, name, session.created, session.meta ?? null]);
			}

			for (let start = 0; start < examples.length; start += rowsPerInsert) {
				// eslint-disable-next-line no-await-in-loop
				await insertExamples(client, examples.slice(start, start + rowsPerInsert).map(example => ({dataset: name, session: example.session, task: example.task})));
			}

			await client.query('COMMIT');
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw error instanceof UserError ? error : new UserError(`${serverProblem(error, this.location)} Nothing was copied.`);
		} finally {
			client.release();
		}
	}

	async #connect(): Promise<pg.PoolClient> {
		try {
			return await this.#pool.connect();
		} catch (error) {
			throw new UserError(serverProblem(error, this.location));
		}
	}

	async drop(name: string): Promise<{kind: 'dataset' | 'session'; examples: number}> {
		await this.#drain(10_000);
		const client = await this.#connect();
		try {
			await client.query('BEGIN');
			const count = async (column: 'dataset' | 'session') => {
				const found = await client.query<{count: string}>(`SELECT count(*) AS count FROM inkling.examples WHERE ${column} = $1`, [name]);
				return Number(found.rows[0]!.count);
			};

			const asDataset = await client.query('SELECT 1 FROM inkling.datasets WHERE name = $1', [name]);
			if (asDataset.rowCount === 1) {
				const examples = await count('dataset');
				await client.query('DELETE FROM inkling.datasets WHERE name = $1', [name]);
				await client.query('COMMIT');
				return {kind: 'dataset', examples};
			}

			const asSession = await client.query('SELECT 1 FROM inkling.sessions WHERE id = $1', [name]);
			if (asSession.rowCount === 1) {
				const examples = await count('session');
				await client.query('DELETE FROM inkling.examples WHERE session = $1', [name]);
				await client.query('DELETE FROM inkling.sessions WHERE id = $1', [name]);
				await client.query('COMMIT');
				return {kind: 'session', examples};
			}

			await client.query('ROLLBACK');
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw new UserError(serverProblem(error, this.location));
		} finally {
			client.release();
		}

		throw new UserError(`There is no dataset or session "${name}" in ${this.location}. \`inkling stats -l\` lists the datasets.`);
	}

	/** Send what is queued (waiting up to `timeout` ms for the server) and close. What could not be sent stays on this machine. */
	async close(timeout = 10_000): Promise<void> {
		if (this.#closed) {
			return;
		}

		const sent = await this.#drain(timeout);
		this.#closed = true;
		await this.#sending;
		if (this.#own) {
			if (sent) {
				this.#own.outbox.remove();
				await this.#pool.query('DELETE FROM inkling.outboxes WHERE id = $1', [this.#own.outbox.id]).catch(() => undefined);
			} else {
				this.#own.outbox.release();
			}
		}

		for (const queue of this.#queues.filter(item => !item.own)) {
			queue.outbox.release();
		}

		const left = this.#queued();
		if (left > 0) {
			this.#options.onWarning?.(`${left} answer${left === 1 ? '' : 's'} could not reach ${this.location} (${this.#refused ?? this.#status.problem ?? 'no answer'}): kept in ${this.#options.outboxFolder}, and sent the next time inkling opens this database`);
		}

		await this.#pool.end().catch(() => undefined);
	}

	closeSync(): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		for (const queue of this.#queues) {
			queue.outbox.release();
		}

		void this.#pool.end().catch(() => undefined);
	}
}

/** One multi-row INSERT of examples, creating their datasets first (as the JSON store does for an answer to a new dataset). */
async function insertExamples(client: pg.ClientBase, rows: ReadonlyArray<{dataset: string; session: string; task: HashedTask}>): Promise<void> {
	const datasets = [...new Set(rows.map(row => row.dataset))];
	const created = Math.floor(Date.now() / 1000);
	await client.query('INSERT INTO inkling.datasets (name, created) SELECT name, $1 FROM unnest($2::text[]) AS name ON CONFLICT (name) DO NOTHING', [created, datasets]);
	await client.query(
		'INSERT INTO inkling.examples (dataset, session, input_hash, task_hash, answer, task) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::jsonb[])',
		exampleColumns(rows),
	);
}

/** Examples as the columns an `unnest` of arrays inserts: dataset, session, input hash, task hash, answer, task. */
function exampleColumns(rows: ReadonlyArray<{dataset: string; session: string; task: HashedTask}>): unknown[][] {
	return [
		rows.map(row => row.dataset),
		rows.map(row => row.session),
		rows.map(row => row.task._input_hash),
		rows.map(row => row.task._task_hash),
		rows.map(row => row.task.answer ?? null),
		rows.map(row => taskJson(row.task)),
	];
}
