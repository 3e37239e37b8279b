import {seededRandom} from './random.js';

/**
 * A hashed embedding table kept in JS memory, looked up and updated sparsely:
 * on wasm a `gather` and its dense gradient cost more than the rest of a
 * training step, and Adam over every row of a 20,000-row table each step
 * costs more again. Only the rows a batch touches are read and updated (lazy
 * Adam), the same on every backend.
 */
export class EmbeddingTable {
	/** A table with normal(0, scale) values from a seed. */
	static random(rows: number, width: number, scale: number, seed: number): EmbeddingTable {
		const random = seededRandom(seed);
		const values = new Float32Array(rows * width);
		for (let index = 0; index < values.length; index += 2) {
			// Box-Muller: two normal values from two uniform ones
			const radius = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12)));
			const angle = 2 * Math.PI * random();
			values[index] = radius * Math.cos(angle) * scale;
			if (index + 1 < values.length) {
				values[index + 1] = radius * Math.sin(angle) * scale;
			}
		}

		return new EmbeddingTable(rows, width, values);
	}

	readonly rows: number;
	readonly width: number;
	readonly values: Float32Array;
	#first: Float32Array | undefined;
	#second: Float32Array | undefined;
	#step = 0;

	constructor(rows: number, width: number, values: Float32Array) {
		if (values.length !== rows * width) {
			throw new RangeError(`An embedding table of ${rows} x ${width} needs ${rows * width} values, not ${values.length}`);
		}

		this.rows = rows;
		this.width = width;
		this.values = values;
	}

	/**
	 * For each token, the sum of the rows its ids point at, written over
	 * `output` (row-major, `stride` values a token) from column `column`.
	 * `ids` holds `seeds` ids a token. Tokens marked in `skip` are left as
	 * they are.
	 */
	lookup(ids: Int32Array, seeds: number, output: Float32Array, stride: number, column: number, skip?: Uint8Array): void {
		const {width, values} = this;
		const tokens = ids.length / seeds;
		for (let t = 0; t < tokens; t++) {
			if (skip !== undefined && skip[t] !== 0) {
				continue;
			}

			const target = (t * stride) + column;
			// The two rows of the usual two seeds in one pass, written rather than added: half the memory traffic.
			if (seeds === 2) {
				const first = ids[2 * t]! * width;
				const second = ids[(2 * t) + 1]! * width;
				for (let d = 0; d < width; d++) {
					output[target + d] = values[first + d]! + values[second + d]!;
				}

				continue;
			}

			const first = ids[t * seeds]! * width;
			for (let d = 0; d < width; d++) {
				output[target + d] = values[first + d]!;
			}

			for (let s = 1; s < seeds; s++) {
				const source = ids[(t * seeds) + s]! * width;
				for (let d = 0; d < width; d++) {
					output[target + d] = output[target + d]! + values[source + d]!;
				}
			}
		}
	}

	/**
	 * One Adam step on the rows the tokens used, from the gradient of the
	 * summed lookups (`gradient` laid out as `output` in `lookup`). Tokens
	 * whose `mask` is 0 (padding, or skipped in `lookup`) are skipped.
	 */
	update(ids: Int32Array, seeds: number, gradient: Float32Array, stride: number, column: number, mask: Float32Array, learnRate: number): void {
		const {width, values} = this;
		this.#first ??= new Float32Array(values.length);
		this.#second ??= new Float32Array(values.length);
		const first = this.#first;
		const second = this.#second;
		// Sum the gradient per row first: a row used twice gets one step.
		const sums = new Map<number, Float32Array>();
		const tokens = ids.length / seeds;
		for (let t = 0; t < tokens; t++) {
			if (mask[t] === 0) {
				continue;
			}

			const source = (t * stride) + column;
			for (let s = 0; s < seeds; s++) {
				const row = ids[(t * seeds) + s]!;
				let sum = sums.get(row);
				if (!sum) {
					sum = new Float32Array(width);
					sums.set(row, sum);
				}

				for (let d = 0; d < width; d++) {
					sum[d] = sum[d]! + gradient[source + d]!;
				}
			}
		}

		this.#step++;
		const beta1 = 0.9;
		const beta2 = 0.999;
		const correction1 = 1 - (beta1 ** this.#step);
		const correction2 = 1 - (beta2 ** this.#step);
		for (const [row, sum] of sums) {
			const base = row * width;
			for (let d = 0; d < width; d++) {
				const g = sum[d]!;
				const m = (beta1 * first[base + d]!) + ((1 - beta1) * g);
				const v = (beta2 * second[base + d]!) + ((1 - beta2) * g * g);
				first[base + d] = m;
				second[base + d] = v;
				values[base + d] = values[base + d]! - ((learnRate * (m / correction1)) / (Math.sqrt(v / correction2) + 1e-8));
			}
		}
	}
}
