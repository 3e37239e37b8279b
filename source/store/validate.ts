import {
	answers, type Answer, type Span, type Task,
} from '../task/task.js';

function isInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

function isLowSurrogate(text: string, index: number): boolean {
	const code = text.charCodeAt(index);
	return code >= 0xDC_00 && code <= 0xDF_FF;
}

/** What is wrong with a span of a text, or undefined when it is fine. */
export function spanProblem(span: unknown, text: string): string | undefined {
	if (typeof span !== 'object' || span === null || Array.isArray(span)) {
		return 'is not an object with "start", "end" and "label"';
	}

	const {start, end, label} = span as Record<string, unknown>;
	if (!isInteger(start) || !isInteger(end)) {
		return `needs whole-number "start" and "end" (got ${JSON.stringify(start)} and ${JSON.stringify(end)})`;
	}

	if (start < 0 || end <= start) {
		return `has start ${start} and end ${end}: it needs 0 <= start < end`;
	}

	if (end > text.length) {
		return `ends at ${end}, past the end of the text (${text.length} characters)`;
	}

	if (isLowSurrogate(text, start) || (end < text.length && isLowSurrogate(text, end))) {
		return `has an edge (${start}..${end}) inside a character (a surrogate pair): offsets are UTF-16 indices`;
	}

	if (typeof label !== 'string' || label.trim() === '') {
		return `needs a "label" string (got ${JSON.stringify(label)})`;
	}

	return undefined;
}

/** Check a task parsed from a file; returns the task or what is wrong with it. */
export function validateTask(value: unknown): Task | string {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return 'expected a JSON object with a "text" field';
	}

	const task = value as Record<string, unknown>;
	if (!('text' in task)) {
		return 'has no "text" field';
	}

	if (typeof task.text !== 'string') {
		return `"text" must be a string (got ${typeof task.text})`;
	}

	const {text} = task;
	if ('answer' in task && task.answer !== undefined && task.answer !== null && !answers.includes(task.answer as Answer)) {
		return `"answer" must be accept, reject or ignore (got ${JSON.stringify(task.answer)})`;
	}

	let tokenCount: number | undefined;
	if ('tokens' in task && task.tokens !== undefined) {
		const {tokens} = task;
		if (!Array.isArray(tokens)) {
			return '"tokens" must be a list';
		}

		for (const [index, token] of tokens.entries()) {
			const {start, end} = (token ?? {}) as Record<string, unknown>;
			if (!isInteger(start) || !isInteger(end) || start < 0 || end < start || end > text.length) {
				return `token ${index} needs "start" and "end" within the text (0..${text.length})`;
			}
		}

		tokenCount = tokens.length;
	}

	if ('spans' in task && task.spans !== undefined && task.spans !== null) {
		const {spans} = task;
		if (!Array.isArray(spans)) {
			return '"spans" must be a list';
		}

		for (const [index, span] of spans.entries()) {
			const problem = spanProblem(span, text);
			if (problem) {
				return `span ${index} ${problem}`;
			}

			const {token_start: tokenStart, token_end: tokenEnd} = span as Span;
			if (tokenCount !== undefined && tokenStart !== undefined && tokenEnd !== undefined
				&& (!isInteger(tokenStart) || !isInteger(tokenEnd) || tokenStart < 0 || tokenEnd < tokenStart || tokenEnd >= tokenCount)) {
				return `span ${index} has token_start ${tokenStart} and token_end ${tokenEnd}, outside the ${tokenCount} tokens`;
			}
		}
	}

	return task as Task;
}
