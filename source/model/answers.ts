import {inputHash} from '../task/hash.js';
import type {Span, Task} from '../task/task.js';

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

/**
 * A yes/no answer about one span, as `teach` saves it, rather than a
 * complete annotation. `meta.binary` (true or false) decides when set (`db-in
 * --binary` / `--gold` set it); then the view: `ner` and `binary` are yes/no,
 * any other view (`ner_manual`, ...) is gold. Without a view, as in Prodigy's
 * own exports of `ner.teach`, by shape: one span that carries the model's
 * `score` or `rank` is a question the model asked, not a full annotation.
 */
export function isBinary(task: Task): boolean {
	const flag = (task.meta as {binary?: unknown} | undefined)?.binary;
	if (typeof flag === 'boolean') {
		return flag;
	}

	if (task._view_id !== undefined) {
		return task._view_id === 'ner' || task._view_id === 'binary';
	}

	const spans = task.spans ?? [];
	return spans.length === 1 && (typeof spans[0]!.score === 'number' || typeof spans[0]!.rank === 'number');
}

/** Mark tasks as yes/no answers or as gold, whatever their shape says (`--binary`, `--gold`). */
export function markKind(tasks: readonly Task[], kind: 'binary' | 'gold' | undefined): Task[] {
	return kind === undefined ? [...tasks] : tasks.map(task => ({...task, meta: {...task.meta, binary: kind === 'binary'}}));
}

/** How many tasks are yes/no answers and how many complete (gold) annotations. */
export function countKinds(tasks: Iterable<Task>): {binary: number; gold: number} {
	const counts = {binary: 0, gold: 0};
	for (const task of tasks) {
		if (task._view_id === 'eval-ab') {
			continue;
		}

		counts[isBinary(task) ? 'binary' : 'gold']++;
	}

	return counts;
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
			// A span may carry its own answer (Prodigy writes one where a task judges several spans): it wins over the task's.
			for (const span of spans) {
				const answer = span.answer === 'accept' || span.answer === 'reject' || span.answer === 'ignore' ? span.answer : task.answer;
				if (answer === 'reject') {
					merged.rejected.push(span);
				} else if (answer !== 'ignore') {
					merged.accepted.push(span);
				}
			}
		} else if (task.answer !== 'reject') {
			merged.gold = [...(merged.gold ?? []), ...spans];
		}
	}

	return [...byInput.values()];
}
