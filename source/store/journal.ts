import fs from 'node:fs';
import {CorruptFileError} from '../errors.js';
import type {HashedTask} from '../task/task.js';

/** One change to the database, as one line of the journal. */
export type Operation
	= | {op: 'dataset'; name: string; created: number; meta?: Record<string, unknown>}
		| {op: 'session'; id: string; dataset: string; created: number; meta?: Record<string, unknown>}
		| {op: 'add'; dataset: string; session: string; tasks: HashedTask[]; txn?: string}
		| {op: 'commit'; txn: string}
		| {op: 'drop-dataset'; name: string}
		| {op: 'drop-session'; id: string}
		| {op: 'remove'; dataset: string; session: string; taskHash: number};

/** Where a scan of the journal stopped: the byte offset to read on from, and how many newlines come before it. */
export type Position = {offset: number; lines: number};

/** A line of the journal that could not be read. */
export type BadLine = {line: number; text: string; truncated: boolean};

const newline = 0x0A;
const chunkSize = 16 * 1024 * 1024;

/**
 * Each record is written as a newline followed by its JSON, in one `write`
 * to a file opened for appending, then flushed. The newline comes first so
 * that a record cut short by a crash never runs into the next record: it
 * stays a line of its own, which is dropped with a warning.
 */
export function frame(operations: readonly Operation[]): string {
	let text = '';
	for (const operation of operations) {
		text += '\n' + JSON.stringify(operation);
	}

	return text;
}

/**
 * Whether a line that does not parse was cut short (by a crash during its
 * write) rather than damaged: the parser ran out of text, so the line is the
 * start of a valid record. A damaged line fails before its end.
 */
export function looksTruncated(text: string, error: unknown): boolean {
	const message = error instanceof Error ? error.message : '';
	if (/end of json input/iu.test(message)) {
		return true;
	}

	const position = /at position (\d+)/u.exec(message);
	return position !== null && Number(position[1]) >= text.length;
}

/** The parsed JSON, or undefined when the text is not JSON (yet). */
export function parseOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function isOperation(value: unknown): value is Operation {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const record = value as Record<string, unknown>;
	switch (record.op) {
		case 'dataset':
		case 'drop-dataset': {
			return typeof record.name === 'string';
		}

		case 'session': {
			return typeof record.id === 'string' && typeof record.dataset === 'string';
		}

		case 'drop-session': {
			return typeof record.id === 'string';
		}

		case 'add': {
			return typeof record.dataset === 'string' && Array.isArray(record.tasks);
		}

		case 'commit': {
			return typeof record.txn === 'string';
		}

		case 'remove': {
			return typeof record.dataset === 'string' && typeof record.session === 'string' && typeof record.taskHash === 'number';
		}

		default: {
			return false;
		}
	}
}

/** The append-only journal beside the database file. */
export class Journal {
	#fd: number | undefined;
	#flushPending = false;
	/** Flushes running on libuv's thread pool ('soon'), and descriptors to close once they are done. */
	#flushing = 0;
	readonly #closeAfterFlush: number[] = [];
	/** A flush on the thread pool that failed: thrown by the next append or close, as a flush at once would have. */
	#flushError: Error | undefined;

	readonly file: string;

	/**
	 * `flush: 'soon'` writes each append before returning, but flushes it to
	 * the disk (fdatasync) from libuv's thread pool, started on the event
	 * loop's next turn (after this turn's immediates, where a screen draws its
	 * next frame): what was written survives the process being killed, and
	 * reaches the disk a moment later. Screens use it so neither the next
	 * frame nor the next key waits on the disk (a flush took about 2.5 ms of
	 * the screen's thread a key, more when the disk was busy). `'now'` (the
	 * default) flushes at once.
	 */
	constructor(file: string, readonly flush: 'now' | 'soon' = 'now') {
		this.file = file;
	}

	/** Append operations as one write and flush them to disk (at once, or soon); returns the bytes written. */
	append(operations: readonly Operation[]): number {
		this.#throwFlushError();
		this.#fd ??= fs.openSync(this.file, 'a');
		const bytes = Buffer.from(frame(operations), 'utf8');
		let written = 0;
		while (written < bytes.length) {
			written += fs.writeSync(this.#fd, bytes, written, bytes.length - written);
		}

		if (this.flush === 'now') {
			fs.fdatasyncSync(this.#fd);
		} else if (!this.#flushPending) {
			this.#flushPending = true;
			// A timer, not an immediate: immediates queued after this one (React's
			// render of the next frame) run first, in this turn of the event loop.
			setTimeout(() => {
				this.#flushInBackground();
			}, 0);
		}

		return bytes.length;
	}

	/** Flush what was appended and not flushed yet, at once. */
	flushNow(): void {
		if (this.#flushPending && this.#fd !== undefined) {
			this.#flushPending = false;
			fs.fdatasyncSync(this.#fd);
		}
	}

	#flushInBackground(): void {
		const fd = this.#fd;
		if (!this.#flushPending || fd === undefined) {
			return;
		}

		this.#flushPending = false;
		this.#flushing++;
		fs.fdatasync(fd, error => {
			this.#flushing--;
			if (error) {
				this.#flushError ??= error;
			}

			// Closed meanwhile: the descriptor was kept open for this flush.
			if (this.#flushing === 0) {
				for (const closing of this.#closeAfterFlush.splice(0)) {
					fs.closeSync(closing);
				}
			}
		});
	}

	#throwFlushError(): void {
		const error = this.#flushError;
		if (error) {
			this.#flushError = undefined;
			throw error;
		}
	}

	/** The journal's size in bytes, 0 when it does not exist yet. */
	size(): number {
		try {
			return fs.statSync(this.file).size;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return 0;
			}

			throw error;
		}
	}

	close(): void {
		if (this.#fd !== undefined) {
			this.flushNow();
			// A flush on the thread pool still uses the descriptor: it closes it when done.
			if (this.#flushing > 0) {
				this.#closeAfterFlush.push(this.#fd);
			} else {
				fs.closeSync(this.#fd);
			}

			this.#fd = undefined;
		}

		this.#throwFlushError();
	}

	/**
	 * Read the operations written after `from`, calling `apply` for each.
	 * A last line that does not parse yet is left for the next scan (another
	 * process may be writing it); with `atEnd`, it is reported as truncated.
	 * A line in the middle that was cut short by a crash is reported and
	 * skipped; a damaged line throws, unless `onBad` takes it.
	 */
	scan(
		from: Position,
		apply: (operation: Operation) => void,
		options: {atEnd?: boolean; onBad?: (bad: BadLine) => void} = {},
	): {position: Position; bad: BadLine[]} {
		let fd: number;
		try {
			fd = fs.openSync(this.file, 'r');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return {position: from, bad: []};
			}

			throw error;
		}

		const bad: BadLine[] = [];
		const report = (line: number, text: string, error: unknown) => {
			const item = {line, text, truncated: looksTruncated(text, error)};
			if (!item.truncated && !options.onBad) {
				throw new CorruptFileError(this.file, line, `this journal line is not a valid record (${error instanceof Error ? error.message : String(error)})`, `Run \`inkling db-recover --db ${this.file.replace(/\.journal$/u, '')}\` to keep every readable line and move the damaged ones to ${this.file}.bad`);
			}

			options.onBad?.(item);
			bad.push(item);
		};

		const handle = (text: string, line: number): boolean => {
			if (text.length === 0) {
				return true;
			}

			let value: unknown;
			try {
				value = JSON.parse(text);
			} catch (error) {
				report(line, text, error);
				return false;
			}

			if (!isOperation(value)) {
				report(line, text, new Error('unknown operation'));
				return false;
			}

			apply(value);
			return true;
		};

		try {
			let {lines} = from;
			let segmentStart = from.offset; // Where the line being read starts
			let carry = Buffer.alloc(0); // Its bytes read so far
			let readAt = from.offset;
			const buffer = Buffer.allocUnsafe(chunkSize);
			for (;;) {
				const read = fs.readSync(fd, buffer, 0, chunkSize, readAt);
				if (read === 0) {
					break;
				}

				readAt += read;
				const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer.subarray(0, read);
				const base = segmentStart;
				let start = 0;
				// A line followed by a newline is finished: a later record began after it.
				for (let index = data.indexOf(newline); index !== -1; index = data.indexOf(newline, start)) {
					handle(data.toString('utf8', start, index), lines + 1);
					lines++;
					start = index + 1;
					segmentStart = base + start;
				}

				carry = Buffer.from(data.subarray(start));
			}

			// The last line may still be being written by another process.
			const text = carry.toString('utf8');
			if (text.length === 0) {
				return {position: {offset: segmentStart, lines}, bad};
			}

			const value = parseOrUndefined(text);
			if (isOperation(value)) {
				apply(value);
				return {position: {offset: segmentStart + carry.length, lines}, bad};
			}

			if (options.atEnd) {
				const item = {line: lines + 1, text, truncated: true};
				options.onBad?.(item);
				bad.push(item);
			}

			return {position: {offset: segmentStart, lines}, bad};
		} finally {
			fs.closeSync(fd);
		}
	}
}
