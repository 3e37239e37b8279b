import fs from 'node:fs';
import type {SyncAdapter} from 'lowdb';
import {CorruptFileError} from '../errors.js';
import type {HashedTask} from '../task/task.js';
import {parseOrUndefined, type Position, type Operation} from './journal.js';

/** An answer as the database keeps it: the task, and the dataset and session it was saved in. */
export type StoredExample = {dataset: string; session: string; task: HashedTask};

export type DatasetInfo = {created: number; meta?: Record<string, unknown>};

export type SessionInfo = {dataset: string; created: number; meta?: Record<string, unknown>};

/** The lowdb document: everything in the journal up to `journal`, folded. */
export type Document = {
	inkling: 1;
	/** How far into the journal this document has folded. */
	journal: Position;
	datasets: Record<string, DatasetInfo>;
	sessions: Record<string, SessionInfo>;
	/** Operations of imports that have not committed yet, by transaction. */
	pending: Record<string, Operation[]>;
	examples: StoredExample[];
};

export function emptyDocument(): Document {
	return {
		inkling: 1, journal: {offset: 0, lines: 0}, datasets: {}, sessions: {}, pending: {}, examples: [],
	};
}

/**
 * The document as JSON with one example a line, so a damaged file can be
 * reported by line and what is readable of it can be kept.
 */
export function stringifyDocument(document: Document): string {
	const {examples, ...header} = document;
	const head = JSON.stringify(header).slice(0, -1) + ',"examples":[';
	if (examples.length === 0) {
		return head + ']}\n';
	}

	const parts: string[] = [head];
	for (let index = 0; index < examples.length; index++) {
		parts.push('\n' + JSON.stringify(examples[index]) + (index === examples.length - 1 ? '' : ','));
	}

	parts.push('\n]}\n');
	return parts.join('');
}

function isDocument(value: unknown): value is Document {
	const document = value as Document | undefined;
	return typeof document === 'object' && document !== null && document.inkling === 1
		&& typeof document.journal?.offset === 'number' && Array.isArray(document.examples)
		&& typeof document.datasets === 'object' && typeof document.sessions === 'object';
}

const remedy = (file: string) => `Run \`inkling db-recover --db ${file}\` to rebuild it from its journal and keep what is readable`;

/** Parse the document, or say which line is damaged. */
export function parseDocument(text: string, file: string): Document {
	const value = parseOrUndefined(text);
	if (isDocument(value)) {
		value.pending ??= {};
		return value;
	}

	const {badLine} = salvageDocument(text);
	throw new CorruptFileError(file, badLine ?? 1, 'the database file is damaged or is not an inkling database', remedy(file));
}

/** What can be read of a damaged document, line by line, and the first line that could not. */
export function salvageDocument(text: string): {document: Document | undefined; badLine: number | undefined; badLines: number} {
	const lines = text.split('\n');
	let badLine: number | undefined;
	let badLines = 0;
	const bad = (line: number) => {
		badLine ??= line;
		badLines++;
	};

	let document: Document | undefined;
	try {
		const header: unknown = JSON.parse((lines[0] ?? '').replace(/\[$/u, '[]}'));
		if (isDocument(header)) {
			document = header;
			document.pending ??= {};
		} else {
			bad(1);
		}
	} catch {
		bad(1);
	}

	for (let index = 1; index < lines.length; index++) {
		const line = lines[index]!.replace(/,$/u, '');
		if (line === '' || line === ']}') {
			continue;
		}

		const example = parseOrUndefined(line) as StoredExample | undefined;
		if (typeof example?.dataset === 'string' && typeof example.task?.text === 'string') {
			document?.examples.push(example);
			continue;
		}

		bad(index + 1);
	}

	return {document, badLine, badLines};
}

/**
 * Lowdb adapter for the document file: written to a temporary file of this
 * process, flushed, then renamed over the old one, so a reader sees the old
 * document or the new one, never half of one.
 */
export class DocumentFile implements SyncAdapter<Document> {
	readonly file: string;

	constructor(file: string) {
		this.file = file;
	}

	read(): Document | null {
		let text: string;
		try {
			text = fs.readFileSync(this.file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return null;
			}

			throw error;
		}

		return parseDocument(text, this.file);
	}

	write(document: Document): void {
		const temporary = `${this.file}.${process.pid}.tmp`;
		const fd = fs.openSync(temporary, 'w');
		try {
			fs.writeSync(fd, stringifyDocument(document));
			fs.fdatasyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}

		fs.renameSync(temporary, this.file);
	}
}
