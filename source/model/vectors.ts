import {decodeFloat16} from './float16.js';

/** Where a model's vectors come from: a table built by `inkling vectors build`, named by its path and checked by its id. */
export type VectorTableRef = {
	/** The table file, as an absolute path. */
	table: string;
	/** The table's content hash, written when it was built: another table at the same path is refused. */
	id: string;
	/** The file the table was built from, to say how to build it again. */
	source: string;
	count: number;
	width: number;
	/** For vectors from an npm package (name@version): found in this user's table of the package when the path is not there. */
	package?: string;
};

/** The vectors' values: float32, or float16 bits as a table stores them (half the memory, decoded a token at a time). */
type Values = {float32: Float32Array} | {float16: Uint16Array};

/**
 * Static word vectors, looked up by the word, else its lower-case form, else
 * that form with every digit read as 0; words without a vector get zeros.
 * They are not trained. Built from a text file once into a table
 * (`vector-table.ts`) that the models using it name rather than copy.
 */
export class WordVectors {
	readonly words: readonly string[];
	readonly width: number;
	/** The table these vectors were read from; undefined for vectors made in memory (tests, models saved before tables). */
	readonly ref: VectorTableRef | undefined;
	readonly #values: Values;
	/** Word to row: a table's own index (built with it, so reading it costs nothing), else a Map built here. */
	readonly #rows: Map<string, number> | undefined;
	readonly #index: Int32Array | undefined;

	constructor(words: readonly string[], width: number, values: Float32Array | {float16: Uint16Array}, ref?: VectorTableRef, index?: Int32Array) {
		const length = values instanceof Float32Array ? values.length : values.float16.length;
		if (length !== words.length * width) {
			throw new RangeError(`${words.length} vectors of width ${width} need ${words.length * width} values, not ${length}`);
		}

		this.words = words;
		this.width = width;
		this.ref = ref;
		this.#values = values instanceof Float32Array ? {float32: values} : values;
		if (index) {
			this.#index = index;
			return;
		}

		const rows = new Map<string, number>();
		// Backwards, so a word listed twice keeps its first row (one set a word).
		for (let row = words.length - 1; row >= 0; row--) {
			rows.set(words[row]!, row);
		}

		this.#rows = rows;
	}

	get count(): number {
		return this.words.length;
	}

	/** The row of a word's vector, or -1. */
	row(word: string): number {
		const exact = this.#find(word);
		if (exact >= 0) {
			return exact;
		}

		const lower = word.toLowerCase();
		const folded = lower === word ? -1 : this.#find(lower);
		return folded >= 0 ? folded : (/\d/u.test(lower) ? this.#find(lower.replaceAll(/\d/gu, '0')) : -1);
	}

	#find(word: string): number {
		if (this.#rows) {
			return this.#rows.get(word) ?? -1;
		}

		const index = this.#index!;
		const mask = index.length - 1;
		for (let slot = wordHash(word) & mask; ; slot = (slot + 1) & mask) {
			const row = index[slot]! - 1;
			if (row < 0 || this.words[row] === word) {
				return row;
			}
		}
	}

	/** The vector of a row, as float32 values. */
	vector(row: number): Float32Array {
		const start = row * this.width;
		return 'float32' in this.#values
			? this.#values.float32.slice(start, start + this.width)
			: decodeFloat16(this.#values.float16.subarray(start, start + this.width));
	}

	/** Every value as float32 (for saving a model folder the old way: vectors made in memory). */
	float32(): Float32Array {
		return 'float32' in this.#values ? this.#values.float32 : decodeFloat16(this.#values.float16);
	}

	/** Copy the vector of each word into `output` (`stride` values a token, from `column`); zeros for unknown words. */
	lookup(words: readonly string[], output: Float32Array, stride: number, column: number): void {
		for (const [t, word] of words.entries()) {
			const row = word === '' ? -1 : this.row(word);
			if (row < 0) {
				continue;
			}

			const start = row * this.width;
			if ('float32' in this.#values) {
				output.set(this.#values.float32.subarray(start, start + this.width), (t * stride) + column);
			} else {
				const halves = this.#values.float16;
				const to = (t * stride) + column;
				for (let index = 0; index < this.width; index++) {
					output[to + index] = halfValue(halves[start + index]!);
				}
			}
		}
	}
}

/** FNV-1a over a word's UTF-16 code units: the hash of a table's word index. */
export function wordHash(word: string): number {
	let hash = 0x81_1C_9D_C5;
	for (let index = 0; index < word.length; index++) {
		hash = Math.imul(hash ^ word.charCodeAt(index), 0x01_00_01_93);
	}

	return hash >>> 0;
}

/**
 * An open-addressing index of words (row + 1 in the slot a word hashes to, or
 * the next free one; 0 is empty), at most half full. A word listed twice
 * keeps its first row.
 */
export function wordIndex(words: readonly string[]): Int32Array {
	let size = 1;
	while (size < words.length * 2) {
		size *= 2;
	}

	const index = new Int32Array(size);
	const mask = size - 1;
	for (const [row, word] of words.entries()) {
		for (let slot = wordHash(word) & mask; ; slot = (slot + 1) & mask) {
			const held = index[slot]!;
			if (held === 0) {
				index[slot] = row + 1;
				break;
			}

			if (words[held - 1] === word) {
				break;
			}
		}
	}

	return index;
}

let halfTable: Float32Array | undefined;

function halfValue(half: number): number {
	halfTable ??= decodeFloat16(Uint16Array.from({length: 0x1_00_00}, (_, index) => index));
	return halfTable[half]!;
}
