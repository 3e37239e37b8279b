import murmur from 'murmurhash3js-revisited';
import type {HashedTask, Task} from './task.js';

const encoder = new TextEncoder();

/** MurmurHash3 (x86, 32-bit, seed 0) of a string's UTF-8 bytes, as a signed integer like Prodigy's hashes. */
export function hashString(value: string): number {
	const unsigned = murmur.x86.hash32(encoder.encode(value));
	return unsigned > 0x7F_FF_FF_FF ? unsigned - (2 ** 32) : unsigned;
}

/** The input hash: of the text alone, so every question about one text shares it. */
export function inputHash(task: Pick<Task, 'text'>): number {
	return hashString(JSON.stringify({text: task.text}));
}

/** The task hash: of the input hash plus the spans (offsets and labels) and the task's label. */
export function taskHash(task: Task, input = task._input_hash ?? inputHash(task)): number {
	const spans = (task.spans ?? []).map(span => [span.start, span.end, span.label]);
	return hashString(`${input}${JSON.stringify({spans, label: task.label ?? null})}`);
}

/** The task with both hashes, keeping any it already has (so a round trip keeps Prodigy's). */
export function withHashes(task: Task): HashedTask {
	const input = task._input_hash ?? inputHash(task);
	return {
		...task,
		_input_hash: input,
		_task_hash: task._task_hash ?? taskHash(task, input),
	};
}
