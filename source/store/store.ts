import path from 'node:path';
import type {HashedTask, Task} from '../task/task.js';
import {Database, type DatabaseOptions} from './database.js';
import {isServerUrl} from './paths.js';
import type {DatasetInfo, SessionInfo, StoredExample} from './document-file.js';

/** What a store says about its connection, for a screen's status line. */
export type StoreStatus = {
	/** False while answers wait on this machine for the server. */
	reachable: boolean;
	/** Answers (and undos) saved on this machine and not yet on the server. */
	queued: number;
	/** Why the server cannot be reached, in one line. */
	problem?: string;
};

/** What a session needs to resume on a dataset (see `Store.answered`). */
export type Answered = {
	/** How many answers. */
	count: number;
	inputs: Set<number>;
	tasks: Set<number>;
	/** The latest answers, oldest first. */
	recent: StoredExample[];
};

/**
 * Where annotations are kept: the JSON file (the default) or a PostgreSQL
 * server. Reads are asynchronous. `add` and `remove` are synchronous and
 * durable on this machine when they return, so a screen answers a key
 * without waiting on a disk or a network: the JSON store has flushed its
 * journal; the PostgreSQL store has written its outbox, which it sends to
 * the server in the background.
 */
export type Store = {
	/** What messages name: the file, or the server's URL without its password. */
	readonly location: string;
	/** Files a session keeps beside the store (teach's in-loop model) go under `${localBase}.teach/`. */
	readonly localBase: string;
	datasets(): Promise<string[]>;
	dataset(name: string): Promise<DatasetInfo | undefined>;
	sessions(dataset?: string): Promise<Array<SessionInfo & {id: string}>>;
	/** The examples of a dataset, in the order they were saved. */
	examples(dataset: string): Promise<StoredExample[]>;
	/** How many examples the store holds in all. */
	count(): Promise<number>;
	/**
	 * The input and task hashes of a dataset's answers (of one session when
	 * given) and its latest `recent` answers: what teach and manual read to
	 * resume, without reading every answer of a large dataset.
	 */
	answered(dataset: string, options?: {session?: string; recent?: number}): Promise<Answered>;
	ensureDataset(name: string, meta?: Record<string, unknown>): Promise<void>;
	/** Start a session (creating the dataset if needed): `dataset-YYYY-MM-DD_HH-MM-SS`, or `dataset-NAME` when named. */
	startSession(dataset: string, options?: {name?: string; meta?: Record<string, unknown>}): Promise<string>;
	/** Save one answer, durably on this machine when this returns. */
	add(dataset: string, session: string, task: Task): HashedTask;
	/** Take back a session's latest answer on a task (an undo). */
	remove(dataset: string, session: string, taskHash: number): void;
	/** Save many tasks at once: all of them or none. */
	addMany(dataset: string, session: string, tasks: readonly Task[]): Promise<HashedTask[]>;
	/** Copy in a dataset as another store holds it (sessions, times, examples in order, hashes as they are); refuses a dataset it has. */
	importDataset(name: string, info: DatasetInfo, sessions: ReadonlyArray<SessionInfo & {id: string}>, examples: readonly StoredExample[]): Promise<void>;
	/** Drop a dataset with its sessions and examples, or one session's examples. */
	drop(name: string): Promise<{kind: 'dataset' | 'session'; examples: number}>;
	/** Listen for changes of the connection; returns the unsubscribe. */
	onStatus(listener: (status: StoreStatus) => void): () => void;
	/** Save what is left and close. */
	close(): Promise<void>;
	/** Close at once (a hangup): what `add` returned from is kept on this machine. */
	closeSync(): void;
};

/** The JSON store: a lowdb document and its journal (see Database). */
export class JsonStore implements Store {
	static open(file: string, options: DatabaseOptions = {}): JsonStore {
		return new JsonStore(Database.open(file, options));
	}

	readonly location: string;
	readonly localBase: string;

	constructor(readonly database: Database) {
		this.location = database.file;
		this.localBase = path.join(path.dirname(database.file), path.basename(database.file, '.json'));
	}

	async datasets(): Promise<string[]> {
		return this.database.datasets();
	}

	async dataset(name: string): Promise<DatasetInfo | undefined> {
		return this.database.dataset(name);
	}

	async sessions(dataset?: string): Promise<Array<SessionInfo & {id: string}>> {
		return this.database.sessions(dataset);
	}

	async examples(dataset: string): Promise<StoredExample[]> {
		return this.database.examples(dataset);
	}

	async count(): Promise<number> {
		return this.database.count();
	}

	async answered(dataset: string, options: {session?: string; recent?: number} = {}): Promise<Answered> {
		const examples = this.database.examples(dataset).filter(example => options.session === undefined || example.session === options.session);
		return {
			count: examples.length,
			inputs: new Set(examples.map(example => example.task._input_hash)),
			tasks: new Set(examples.map(example => example.task._task_hash)),
			recent: (options.recent ?? 0) > 0 ? examples.slice(-options.recent!) : [],
		};
	}

	async ensureDataset(name: string, meta?: Record<string, unknown>): Promise<void> {
		this.database.ensureDataset(name, meta);
	}

	async startSession(dataset: string, options?: {name?: string; meta?: Record<string, unknown>}): Promise<string> {
		return this.database.startSession(dataset, options);
	}

	add(dataset: string, session: string, task: Task): HashedTask {
		return this.database.add(dataset, session, task);
	}

	remove(dataset: string, session: string, taskHash: number): void {
		this.database.remove(dataset, session, taskHash);
	}

	async addMany(dataset: string, session: string, tasks: readonly Task[]): Promise<HashedTask[]> {
		return this.database.addMany(dataset, session, tasks);
	}

	async importDataset(name: string, info: DatasetInfo, sessions: ReadonlyArray<SessionInfo & {id: string}>, examples: readonly StoredExample[]): Promise<void> {
		this.database.importDataset(name, info, sessions, examples);
	}

	async drop(name: string): Promise<{kind: 'dataset' | 'session'; examples: number}> {
		return this.database.drop(name);
	}

	onStatus(): () => void {
		// A local file is always reachable.
		return () => undefined;
	}

	async close(): Promise<void> {
		await this.database.close();
	}

	closeSync(): void {
		this.database.closeSync();
	}
}

export type OpenOptions = Pick<DatabaseOptions, 'onWarning' | 'flush'>;

/** Open the store a `--db` value names: a PostgreSQL server for a `postgres://` URL, else the JSON file. */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
	if (isServerUrl(location)) {
		const {PostgresStore} = await import('./postgres.js');
		return PostgresStore.open(location, options);
	}

	return JsonStore.open(location, options);
}

/**
 * Tell a screen what it should say about the store: that the server cannot
 * be reached and how many answers wait on this machine, that it refused one,
 * and, once every waiting answer is sent, that it is back. Nothing while all
 * is well. Returns the unsubscribe.
 */
export function watchStore(store: Store, say: (message: string) => void): () => void {
	let troubled = false;
	// Said after the current key is handled: an answer clears the screen's
	// notice, and the answer's own save is what reports the count waiting.
	const later = (message: string) => {
		setImmediate(() => {
			say(message);
		});
	};

	return store.onStatus(status => {
		const answers = `${status.queued} answer${status.queued === 1 ? '' : 's'}`;
		if (!status.reachable) {
			troubled = true;
			later(`server unreachable: ${answers} kept on this machine, sent when it is back`);
		} else if (status.problem !== undefined) {
			troubled = true;
			later(`the server refused an answer: ${answers} kept on this machine (${status.problem})`);
		} else if (troubled && status.queued === 0) {
			troubled = false;
			later('server back: every answer is saved there');
		}
	});
}
