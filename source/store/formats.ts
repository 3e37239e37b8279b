import path from 'node:path';
import {readUserFile, UserError} from '../errors.js';
import type {Task} from '../task/task.js';
import {readConll, writeConll} from './conll.js';
import {validateTask} from './validate.js';

/** File formats `db-in` reads. `jsonl` covers Prodigy's JSONL and plain `{"text", "spans"}` lines; `text` is one text a line. */
export const inputFormats = ['jsonl', 'json', 'doccano', 'conll', 'text'] as const;
export type InputFormat = typeof inputFormats[number];

/** File formats `db-out` writes. */
export const outputFormats = ['jsonl', 'conll', 'spacy'] as const;
export type OutputFormat = typeof outputFormats[number];

/** A line of an input file that could not be read as a task. */
export type BadRecord = {file: string; line: number; problem: string};

export type ReadResult = {tasks: Task[]; bad: BadRecord[]; format: InputFormat};

const conllExtensions = new Set(['.conll', '.conllu', '.bio', '.iob', '.iob2', '.bioes', '.tsv']);

/** The format of a file: by extension, then by its first line. */
export function detectFormat(file: string, content: string): InputFormat {
	const extension = path.extname(file).toLowerCase();
	if (conllExtensions.has(extension)) {
		return 'conll';
	}

	const first = content.trimStart();
	if (first.startsWith('[')) {
		return 'json';
	}

	if (first.startsWith('{')) {
		return 'jsonl';
	}

	if (extension === '.jsonl' || extension === '.json') {
		return 'jsonl';
	}

	return looksLikeConll(content) ? 'conll' : 'text';
}

/** A CoNLL/BIO tag: O, or a B/I/E/S/L/U prefix and a label. */
const tagPattern = /^(?:O|[BIESLU][-_].+)$/u;

/**
 * Whether most of the first lines are a token and a tag (the tag in the last
 * column), as in CoNLL/BIO files; plain text (one text a line) is not.
 */
function looksLikeConll(content: string): boolean {
	const lines = content.split('\n').slice(0, 200).map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#') && !line.startsWith('-DOCSTART-'));
	if (lines.length === 0) {
		return false;
	}

	const tagged = lines.filter(line => {
		const columns = line.split(/\s+/u);
		return columns.length >= 2 && columns.length <= 12 && tagPattern.test(columns.at(-1)!);
	});
	return tagged.length >= lines.length * 0.8;
}

/** Doccano's sequence-labelling export: `"label": [[start, end, "LABEL"]]` (or `"entities"` objects in newer versions). */
function fromDoccano(record: Record<string, unknown>): Record<string, unknown> | string {
	const {label, entities, ...rest} = record;
	const list = label ?? entities;
	if (!Array.isArray(list)) {
		return '"label" must be a list of [start, end, "LABEL"]';
	}

	const spans = [];
	for (const [index, item] of list.entries()) {
		if (Array.isArray(item) && item.length === 3) {
			spans.push({start: item[0] as unknown, end: item[1] as unknown, label: item[2] as unknown});
		} else if (typeof item === 'object' && item !== null && 'start_offset' in item) {
			const entity = item as Record<string, unknown>;
			spans.push({start: entity.start_offset, end: entity.end_offset, label: entity.label});
		} else {
			return `label ${index} must be [start, end, "LABEL"] (got ${JSON.stringify(item)})`;
		}
	}

	const meta = typeof rest.meta === 'object' && rest.meta !== null ? rest.meta as Record<string, unknown> : {};
	if ('id' in rest) {
		meta.doccano_id = rest.id;
		delete rest.id;
	}

	return {...rest, spans, ...(Object.keys(meta).length > 0 ? {meta} : {})};
}

function isDoccano(record: unknown): boolean {
	if (typeof record !== 'object' || record === null || 'spans' in record) {
		return false;
	}

	const {label, entities} = record as Record<string, unknown>;
	return Array.isArray(label) || (Array.isArray(entities) && !('spans' in record));
}

function readJsonRecords(file: string, values: Array<{line: number; value: unknown; error?: string}>, format: InputFormat): ReadResult {
	const tasks: Task[] = [];
	const bad: BadRecord[] = [];
	for (const {line, value, error} of values) {
		if (error) {
			bad.push({file, line, problem: error});
			continue;
		}

		let record = value;
		if (format === 'doccano' || isDoccano(value)) {
			const converted = fromDoccano(value as Record<string, unknown>);
			if (typeof converted === 'string') {
				bad.push({file, line, problem: converted});
				continue;
			}

			record = converted;
		}

		const task = validateTask(record);
		if (typeof task === 'string') {
			bad.push({file, line, problem: task});
		} else {
			tasks.push(task);
		}
	}

	return {tasks, bad, format};
}

/** Read tasks from a file in any input format, with every bad line reported. */
export function readTasks(file: string, format?: InputFormat): ReadResult {
	let content = readUserFile(file, 'no such file. Give the path of a JSONL, JSON, CoNLL or plain text file.').toString('utf8');
	if (content.charCodeAt(0) === 0xFE_FF) {
		content = content.slice(1);
	}

	if (content.slice(0, 8192).includes('\u0000')) {
		throw new UserError(`${file}: a binary file, not text. Give a JSONL, JSON, CoNLL or plain text file (one text a line).`);
	}

	const chosen = format ?? detectFormat(file, content);
	if (chosen === 'text') {
		const tasks = content.split('\n').map(line => line.trim()).filter(line => line !== '').map(text => ({text}));
		return {tasks, bad: [], format: chosen};
	}

	if (chosen === 'conll') {
		const tasks: Task[] = [];
		const bad: BadRecord[] = [];
		for (const record of readConll(content)) {
			if (record.task) {
				tasks.push(record.task);
			} else {
				bad.push({file, line: record.line, problem: record.problem ?? 'cannot be read'});
			}
		}

		return {tasks, bad, format: chosen};
	}

	if (chosen === 'json') {
		let value: unknown;
		try {
			value = JSON.parse(content);
		} catch (error) {
			throw new UserError(`${file}: not valid JSON (${(error as Error).message}). A .json file must be a list of tasks; use .jsonl for one task a line.`);
		}

		if (!Array.isArray(value)) {
			throw new UserError(`${file}: a .json file must be a list of tasks; use .jsonl for one task a line.`);
		}

		return readJsonRecords(file, value.map((item, index) => ({line: index + 1, value: item as unknown})), chosen);
	}

	const values: Array<{line: number; value: unknown; error?: string}> = [];
	for (const [index, line] of content.split('\n').entries()) {
		if (line.trim() === '') {
			continue;
		}

		try {
			values.push({line: index + 1, value: JSON.parse(line)});
		} catch (error) {
			values.push({line: index + 1, value: undefined, error: `not valid JSON (${(error as Error).message})`});
		}
	}

	return readJsonRecords(file, values, chosen);
}

/** Write tasks in an output format, as the text of a file. */
export function writeTasks(tasks: Iterable<Task>, format: OutputFormat): {text: string; dropped: number} {
	const parts: string[] = [];
	let dropped = 0;
	for (const task of tasks) {
		switch (format) {
			case 'jsonl': {
				parts.push(JSON.stringify(task) + '\n');
				break;
			}

			case 'conll': {
				const written = writeConll(task);
				dropped += written.dropped;
				parts.push(written.text, '\n');
				break;
			}

			case 'spacy': {
				const entities = (task.spans ?? []).map(span => [span.start, span.end, span.label]);
				parts.push(JSON.stringify([task.text, {entities}]) + '\n');
				break;
			}
		}
	}

	return {text: parts.join(''), dropped};
}
