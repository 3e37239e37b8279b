import murmur from 'murmurhash3js-revisited';

/**
 * The hashed token features, each with its own embedding table: the first
 * four in every model, the others only in a model whose `rows` name them
 * (see `modelFeatures`), so models saved before them load unchanged.
 */
export const featureNames = ['lower', 'prefix', 'suffix', 'shape', 'orth', 'prefix1', 'suffix2', 'suffix4'] as const;
export type FeatureName = typeof featureNames[number];

type CoreFeature = 'lower' | 'prefix' | 'suffix' | 'shape';

/** Rows of each feature's embedding table: the core features' always, the optional ones' when the model has them. */
export type FeatureRows = Record<CoreFeature, number> & Partial<Record<FeatureName, number>>;

/** Rows for the optional features when a model takes them: about as many as their distinct values in a large corpus call for. */
export const optionalFeatureRows: Partial<Record<FeatureName, number>> = {
	orth: 20_000, prefix1: 500, suffix2: 2000, suffix4: 10_000,
};

/** The features of a model with these rows, in the order of their columns. */
export function modelFeatures(rows: FeatureRows): FeatureName[] {
	return featureNames.filter(name => rows[name] !== undefined);
}

/** Hash seeds: each feature looks up this many rows of its table and sums them, so two words rarely share every row. */
export const hashSeeds = [0x9E_37_79_B9, 0x85_EB_CA_6B] as const;

const encoder = new TextEncoder();

/** Word shape: letters to X/x, digits to d, runs longer than 3 cut to 4 ("Xxxx", "dd-dd", "X.X."). */
export function wordShape(word: string): string {
	let shape = '';
	let last = '';
	let run = 0;
	for (const character of word) {
		let kind: string;
		if (/\p{Lu}/u.test(character)) {
			kind = 'X';
		} else if (/\p{L}/u.test(character)) {
			kind = 'x';
		} else if (/\p{N}/u.test(character)) {
			kind = 'd';
		} else {
			kind = character;
		}

		run = kind === last ? run + 1 : 1;
		last = kind;
		if (run <= 4) {
			shape += kind;
		}
	}

	return shape;
}

/** The feature strings of one token. */
export function tokenFeatures(word: string): Record<FeatureName, string> {
	const lower = word.toLowerCase();
	const characters = [...lower];
	return {
		lower,
		prefix: characters.slice(0, 3).join(''),
		suffix: characters.slice(-3).join(''),
		shape: wordShape(word),
		orth: word,
		prefix1: characters[0] ?? '',
		suffix2: characters.slice(-2).join(''),
		suffix4: characters.slice(-4).join(''),
	};
}

/**
 * Hashed feature ids of tokens, row-major `[tokens, features x seeds]` for
 * the model's features (`modelFeatures(rows)`); the ids of feature f and seed
 * s are in column `f * seeds + s`, within that feature's table. A `cache`
 * must serve one set of rows only.
 */
export function featurize(words: readonly string[], rows: FeatureRows, cache?: Map<string, Int32Array>): Int32Array {
	const names = modelFeatures(rows);
	const columns = names.length * hashSeeds.length;
	const ids = new Int32Array(words.length * columns);
	for (const [index, word] of words.entries()) {
		let row = cache?.get(word);
		if (!row) {
			row = new Int32Array(columns);
			const features = tokenFeatures(word);
			for (const [f, name] of names.entries()) {
				const bytes = encoder.encode(`${name}=${features[name]}`);
				for (const [s, seed] of hashSeeds.entries()) {
					row[(f * hashSeeds.length) + s] = murmur.x86.hash32(bytes, seed) % rows[name]!;
				}
			}

			cache?.set(word, row);
		}

		ids.set(row, index * columns);
	}

	return ids;
}
