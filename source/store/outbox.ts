import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {Journal, type Operation} from './journal.js';
import {tryLock, type Release} from './lock.js';

/** An operation with its place in its outbox (1, 2, ...): the server records how far it applied. */
export type Numbered = {ordinal: number; operation: Operation};

/**
 * Answers waiting on this machine for a server: a journal of this process's
 * operations, flushed before `append` returns, and a lock held while the
 * process lives. When a process dies (a kill, a hangup, a server that never
 * came back), its outbox is left behind; the next process to open the same
 * server adopts it (its lock is stale) and sends what the server lacks.
 */
export class Outbox {
	/** This process's new outbox in `folder` (the file appears with the first append). */
	static create(folder: string, flush: 'now' | 'soon'): Outbox {
		fs.mkdirSync(folder, {recursive: true});
		const id = `${os.hostname().replaceAll(/[^\w.-]/gu, '_')}-${process.pid}-${randomBytes(6).toString('hex')}`;
		const file = path.join(folder, `${id}.journal`);
		const release = tryLock(`${file}.lock`);
		if (!release) {
			throw new Error(`${file}.lock is taken`);
		}

		return new Outbox(id, file, release, flush, 0);
	}

	/** The outboxes in `folder` whose process is gone, locked for this one, with their operations. */
	static adopt(folder: string): Array<{outbox: Outbox; operations: Numbered[]}> {
		let names: string[];
		try {
			names = fs.readdirSync(folder);
		} catch {
			return [];
		}

		const adopted: Array<{outbox: Outbox; operations: Numbered[]}> = [];
		for (const name of names.filter(item => item.endsWith('.journal')).sort()) {
			const file = path.join(folder, name);
			const release = tryLock(`${file}.lock`);
			if (!release) {
				continue; // A live process's outbox
			}

			const operations: Numbered[] = [];
			// A last line cut short by the kill was never acknowledged: it is dropped.
			new Journal(file).scan({offset: 0, lines: 0}, operation => {
				operations.push({ordinal: operations.length + 1, operation});
			}, {
				atEnd: true,
				onBad() {
					// A damaged line is left in the file, which stays for a person to look at.
				},
			});
			adopted.push({outbox: new Outbox(name.slice(0, -'.journal'.length), file, release, 'now', operations.length), operations});
		}

		return adopted;
	}

	readonly #journal: Journal;
	readonly #release: Release;
	#count: number;

	private constructor(readonly id: string, readonly file: string, release: Release, flush: 'now' | 'soon', count: number) {
		this.#journal = new Journal(file, flush);
		this.#release = release;
		this.#count = count;
	}

	/** Write an operation durably (flushed now, or soon as the journal's mode says); returns its ordinal. */
	append(operation: Operation): number {
		this.#journal.append([operation]);
		this.#count++;
		return this.#count;
	}

	/** Close the file and let another process adopt what is left. */
	release(): void {
		this.#journal.close();
		this.#release();
	}

	/** Everything in it is on the server: delete it. */
	remove(): void {
		this.#journal.close();
		fs.rmSync(this.file, {force: true});
		this.#release();
	}
}
