import {inputHash} from '../store/hash.js';
import type {Span, Task} from '../store/task.js';

// How answers on one text add up, without TensorFlow.js: the screens read
// answers on their own thread, where loading the model would only slow them.

/** What the answers on one input say, merged. */
export type MergedInput = {
	text: string;
	inputHash: number;
	/** Complete annotation: these spans and no others (from manual or gold data). */
	gold?: Span[];
	/** Yes/no answers about single spans (from teach). */
	accepted: Span[];
	rejected: Span[];
};

/** A yes/no answer about one span, as `teach` saves it, rather than a complete annotation. */
export function isBinary(task: Task): boolean {
	return task._view_id === 'ner' || task._view_id === 'binary' || (task.meta as {binary?: unknown} | undefined)?.binary === true;
}

/** Merge every answer on the same input; ignored and rejected complete annotations say nothing. */
export function mergeAnswers(tasks: Iterable<Task>): MergedInput[] {
	const byInput = new Map<number, MergedInput>();
	for (const task of tasks) {
		// An eval-ab answer judges two models' outputs; it says nothing about the text's spans.
		if (task.answer === 'ignore' || task._view_id === 'eval-ab') {
			continue;
		}

		const hash = task._input_hash ?? inputHash(task);
		let merged = byInput.get(hash);
		if (!merged) {
			merged = {
				text: task.text, inputHash: hash, accepted: [], rejected: [],
			};
			byInput.set(hash, merged);
		}

		const spans = task.spans ?? [];
		if (isBinary(task)) {
			(task.answer === 'reject' ? merged.rejected : merged.accepted).push(...spans);
		} else if (task.answer !== 'reject') {
			merged.gold = [...(merged.gold ?? []), ...spans];
		}
	}

	return [...byInput.values()];
}
