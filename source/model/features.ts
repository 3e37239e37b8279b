import murmur from 'murmurhash3js-revisited';

/** The hashed token features, each with its own embedding table. */
export const featureNames = ['lower', 'prefix', 'suffix', 'shape'] as const;
export type FeatureName = typeof featureNames[number];

/** Rows of each feature's embedding table. */
export type FeatureRows = Record<FeatureName, number>;

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
	};
}

/** Columns of the id matrix: for each feature, one column per seed. */
export const idColumns = featureNames.length * hashSeeds.length;

/**
 * Hashed feature ids of tokens, row-major `[tokens, features x seeds]`; the
 * ids of feature f and seed s are in column `f * seeds + s`, within that
 * feature's table.
 */
export function featurize(words: readonly string[], rows: FeatureRows, cache?: Map<string, Int32Array>): Int32Array {
	const ids = new Int32Array(words.length * idColumns);
	for (const [index, word] of words.entries()) {
		let row = cache?.get(word);
		if (!row) {
			row = new Int32Array(idColumns);
			const features = tokenFeatures(word);
			for (const [f, name] of featureNames.entries()) {
				const bytes = encoder.encode(`${name}=${features[name]}`);
				for (const [s, seed] of hashSeeds.entries()) {
					row[(f * hashSeeds.length) + s] = murmur.x86.hash32(bytes, seed) % rows[name];
				}
			}

			cache?.set(word, row);
		}

		ids.set(row, index * idColumns);
	}

	return ids;
}

/** The character CNN's settings; saved in the model's config. */
export type CharConfig = {
	/** Rows of the character table: code points under `rows / 2` have their own row, the rest share the other half by hash. */
	rows: number;
	/** Width of each character's embedding. */
	width: number;
	/** Filters of the window-3 convolution over a word's characters: the width of its output. */
	filters: number;
	/** Characters read of a longer word: its first and last halves of this many. */
	maxChars: number;
};

/** A word's characters (at most `maxChars`: the first and last halves of a longer word) as rows of the character table. */
export function charIds(word: string, config: Pick<CharConfig, 'rows' | 'maxChars'>): number[] {
	let characters = [...word];
	if (characters.length > config.maxChars) {
		const head = Math.ceil(config.maxChars / 2);
		characters = [...characters.slice(0, head), ...characters.slice(characters.length - (config.maxChars - head))];
	}

	const own = config.rows >> 1;
	return characters.map(character => {
		const point = character.codePointAt(0)!;
		return point < own ? point : own + ((Math.imul(point, 0x9E_37_79_B1) >>> 0) % (config.rows - own));
	});
}
