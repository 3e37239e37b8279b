import {UserError} from '../errors.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {databasePath} from '../store/paths.js';
import {openStore, type OpenOptions, type Store} from '../store/store.js';
import type {Screen} from '../screens.js';

/** Flags every command takes. */
export type GlobalArgs = {db?: string};

/** Print to standard error, where warnings and progress go (standard output is for data). */
export function warn(message: string): void {
	// Warnings quote file names, labels and data: never raw on the terminal.
	process.stderr.write(terminalSafe(`inkling: ${message}\n`));
}

/** Open the store named by `--db`, `INKLING_DB` or the default (a file, or a PostgreSQL server's URL). */
export async function openDatabase(argv: GlobalArgs, options: OpenOptions = {}): Promise<Store> {
	return openStore(databasePath(argv.db), {onWarning: warn, ...options});
}

/** Open the store, run `work`, and close it. */
export async function withDatabase<T>(argv: GlobalArgs, work: (database: Store) => T | Promise<T>): Promise<T> {
	const database = await openDatabase(argv);
	try {
		return await work(database);
	} finally {
		await database.close();
	}
}

/** A comma-separated list flag, as Prodigy takes labels and datasets. */
export function list(value: string | string[] | undefined): string[] {
	if (value === undefined) {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).flatMap(item => String(item).split(',')).map(item => item.trim()).filter(Boolean);
}

/** Refuse to start a screen without a terminal, pointing at the scripted commands. */
export function requireTerminal(command: Screen, scripted: string): void {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UserError(`${command} needs a terminal (standard input and output are not one). Run it in a terminal or over ssh -t; ${scripted}`);
	}
}

/** "1 example", "2 examples". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
	return `${count} ${count === 1 ? noun : nouns}`;
}

/** Build the default vectors' table if these models need it and it is not built here yet, saying so (before any screen starts). */
export async function prepareModels(...folders: Array<string | undefined>): Promise<void> {
	const {prepareVectorsOf} = await import('../model/default-vectors.js');
	const terminal = process.stderr.isTTY;
	let building = false;
	await prepareVectorsOf(folders, {
		onBuild(table) {
			building = true;
			warn(`the model uses the default word vectors: building their table once, at ${table} (about 10 s)`);
		},
		onProgress(progress) {
			if (terminal) {
				process.stderr.write(`\r\u001B[2K${Math.round((progress.bytes / Math.max(1, progress.totalBytes)) * 100)}% ${progress.vectors.toLocaleString('en')} vectors`);
			}
		},
	});
	if (building && terminal) {
		process.stderr.write('\r\u001B[2K');
	}
}

/** Plan or start a session; if that fails, close the store (nothing is lost) and pass the error on. */
export async function startOrClose<T>(database: Store, start: () => Promise<T>): Promise<T> {
	try {
		return await start();
	} catch (error) {
		await database.close();
		throw error;
	}
}
