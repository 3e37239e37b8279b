import type {ScoringSentence} from '../train.js';
import type {PackedGroup} from './types.js';

/** Pack a batch's sentences for a worker: their words, and their candidates as pairs of numbers. */
export function packGroup(group: readonly ScoringSentence[]): PackedGroup {
	const counts = new Int32Array(group.length);
	let total = 0;
	for (const [index, sentence] of group.entries()) {
		counts[index] = sentence.candidates.length;
		total += sentence.candidates.length;
	}

	const pairs = new Int32Array(total * 2);
	let at = 0;
	for (const sentence of group) {
		for (const candidate of sentence.candidates) {
			pairs[at++] = candidate.start;
			pairs[at++] = candidate.end;
		}
	}

	return {words: group.map(sentence => sentence.words), counts, pairs};
}

/** The sentences of a packed group, as `scoreGroup` takes them. */
export function unpackGroup(group: PackedGroup): ScoringSentence[] {
	let pair = 0;
	return group.words.map((words, index) => {
		const candidates: Array<{start: number; end: number}> = [];
		for (let c = 0; c < group.counts[index]!; c++, pair += 2) {
			candidates.push({start: group.pairs[pair]!, end: group.pairs[pair + 1]!});
		}

		return {words, candidates};
	});
}
