import {WordVectors} from '../../source/model/vectors.js';

/**
 * Three-dimensional vectors whose likenesses are easy to reason about: jobs
 * in health lie along x (doctor leaning toward y, vet toward z), office jobs
 * along y, fruit along z.
 */
export const termRows: Array<[string, number[]]> = [
	['nurse', [1, 0, 0]],
	['doctor', [0.95, 0.3, 0]],
	['vet', [0.9, 0, 0.35]],
	['surgeon', [0.8, 0.6, 0]],
	['manager', [0, 1, 0]],
	['director', [0.1, 0.9, 0]],
	['staff', [0.7, 0.7, 0]],
	['banana', [0, 0, 1]],
	['apple', [0, 0.1, 0.9]],
];

/** The rows above as a vector table in memory. */
export function termVectors(rows: Array<[string, number[]]> = termRows): WordVectors {
	return new WordVectors(rows.map(([word]) => word), 3, Float32Array.from(rows.flatMap(([, values]) => values)));
}

/** The rows as a word2vec text file's content, for `inkling vectors build`. */
export function termVectorsText(rows: Array<[string, number[]]> = termRows): string {
	return `${rows.length} 3\n${rows.map(([word, values]) => `${word} ${values.join(' ')}`).join('\n')}\n`;
}
