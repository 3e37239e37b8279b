import {readUserFile, UserError} from '../errors.js';

/**
 * Static word vectors (word2vec or fastText text format), looked up by the
 * word, else its lower-case form; words without a vector get zeros. They
 * are not trained, and are saved with the model.
 */
export class WordVectors {
	/** Read a text file: an optional "count width" first line, then "word v1 v2 ..." per line. */
	static read(file: string): WordVectors {
		const text = readUserFile(file, 'no such vectors file. Give a word2vec or fastText text file ("word v1 v2 ..." per line).').toString('utf8');
		const lines = text.split('\n');
		let width = 0;
		let first = 0;
		const header = /^\s*(\d+)\s+(\d+)\s*$/u.exec(lines[0] ?? '');
		if (header) {
			width = Number(header[2]);
			first = 1;
		}

		const words: string[] = [];
		const rows: number[][] = [];
		for (let index = first; index < lines.length; index++) {
			const line = lines[index]!.trimEnd();
			if (line === '') {
				continue;
			}

			const parts = line.split(' ');
			const word = parts[0]!;
			const values = parts.slice(1).map(Number);
			width ||= values.length;
			if (values.length !== width || values.some(value => !Number.isFinite(value))) {
				throw new UserError(`${file}:${index + 1}: expected a word and ${width} numbers, got ${values.length} values${values.some(value => !Number.isFinite(value)) ? ' (some are not numbers)' : ''}.`);
			}

			words.push(word);
			rows.push(values);
		}

		if (words.length === 0) {
			throw new UserError(`${file}: no vectors in the file.`);
		}

		const values = new Float32Array(words.length * width);
		for (const [row, vector] of rows.entries()) {
			values.set(vector, row * width);
		}

		return new WordVectors(words, width, values);
	}

	readonly words: readonly string[];
	readonly width: number;
	readonly values: Float32Array;
	readonly #rows: Map<string, number>;

	constructor(words: readonly string[], width: number, values: Float32Array) {
		if (values.length !== words.length * width) {
			throw new RangeError(`${words.length} vectors of width ${width} need ${words.length * width} values, not ${values.length}`);
		}

		this.words = words;
		this.width = width;
		this.values = values;
		this.#rows = new Map();
		for (const [row, word] of words.entries()) {
			if (!this.#rows.has(word)) {
				this.#rows.set(word, row);
			}
		}
	}

	/** The row of a word's vector, or -1. */
	row(word: string): number {
		return this.#rows.get(word) ?? this.#rows.get(word.toLowerCase()) ?? -1;
	}

	/** Copy the vector of each word into `output` (`stride` values a token, from `column`); zeros for unknown words. */
	lookup(words: readonly string[], output: Float32Array, stride: number, column: number): void {
		for (const [t, word] of words.entries()) {
			const row = word === '' ? -1 : this.row(word);
			if (row >= 0) {
				output.set(this.values.subarray(row * this.width, (row + 1) * this.width), (t * stride) + column);
			}
		}
	}
}
