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
	readonly #rows: Map<string, number>;

	constructor(words: readonly string[], width: number, values: Float32Array | {float16: Uint16Array}, ref?: VectorTableRef) {
		const length = values instanceof Float32Array ? values.length : values.float16.length;
		if (length !== words.length * width) {
			throw new RangeError(`${words.length} vectors of width ${width} need ${words.length * width} values, not ${length}`);
		}

		this.words = words;
		this.width = width;
		this.ref = ref;
		this.#values = values instanceof Float32Array ? {float32: values} : values;
		this.#rows = new Map();
		// Backwards, so a word listed twice keeps its first row (one set a word: the index of a large table is a third of its load).
		for (let row = words.length - 1; row >= 0; row--) {
			this.#rows.set(words[row]!, row);
		}
	}

	get count(): number {
		return this.words.length;
	}

	/** The row of a word's vector, or -1. */
	row(word: string): number {
		const exact = this.#rows.get(word);
		if (exact !== undefined) {
			return exact;
		}

		const lower = word.toLowerCase();
		return this.#rows.get(lower) ?? (/\d/u.test(lower) ? this.#rows.get(lower.replaceAll(/\d/gu, '0')) : undefined) ?? -1;
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

let halfTable: Float32Array | undefined;

function halfValue(half: number): number {
	halfTable ??= decodeFloat16(Uint16Array.from({length: 0x1_00_00}, (_, index) => index));
	return halfTable[half]!;
}
