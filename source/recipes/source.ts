import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';
import {readTasks} from '../store/formats.js';
import type {Span, TaskToken} from '../task/task.js';
import type {SourceText} from './teach/types.js';

/** A source text with what it already holds (tokens and spans of a pre-annotated file are kept). */
export type SourceTask = {
	text: string;
	meta?: Record<string, unknown>;
	spans?: Span[];
	tokens?: TaskToken[];
	/** Other fields of the task, kept in what is saved. */
	fields: Record<string, unknown>;
	/** The line of a plain-text source. */
	line?: number;
};

/** The tasks of a source file: JSONL or JSON tasks, or plain text with one text a line. */
export function readSourceTasks(file: string): SourceTask[] {
	if (!fs.existsSync(file)) {
		throw new UserError(`${file}: no such source file. Give a JSONL file of {"text": ...} lines, or a text file with one text a line.`);
	}

	const head = fs.readFileSync(file, 'utf8').slice(0, 8192).trimStart();
	if (head.includes('\u0000')) {
		throw new UserError(`${file}: a binary file, not text. Give a JSONL file of {"text": ...} lines, or a text file with one text a line.`);
	}

	if (path.extname(file).toLowerCase() === '.txt' || !(head.startsWith('{') || head.startsWith('['))) {
		const texts = fs.readFileSync(file, 'utf8').split('\n')
			.map((text, index) => ({text: text.trim(), fields: {}, line: index + 1}))
			.filter(item => item.text !== '');
		if (texts.length === 0) {
			throw new UserError(`${file}: holds no texts.`);
		}

		return texts;
	}

	const {tasks, bad} = readTasks(file);
	if (bad.length > 0) {
		const first = bad[0]!;
		throw new UserError(`${first.file}:${first.line}: ${first.problem} (${bad.length} bad line${bad.length === 1 ? '' : 's'} in all). Fix the source file; nothing was saved.`);
	}

	if (tasks.length === 0) {
		throw new UserError(`${file}: holds no texts.`);
	}

	return tasks.map(task => {
		const {
			text, meta, spans, tokens, answer: _answer, _input_hash: _input, _task_hash: _task, _session_id: _session, _view_id: _view, _timestamp: _time, ...fields
		} = task;
		return {
			text, ...(meta ? {meta} : {}), ...(spans ? {spans} : {}), ...(tokens ? {tokens} : {}), fields,
		};
	});
}

/** The texts of a source file (for teach and eval-ab): JSONL or JSON tasks, or plain text with one text a line. */
export function readSource(file: string): SourceText[] {
	return readSourceTasks(file).map(({text, meta, line}) => ({text, ...(meta ? {meta} : {}), ...(line === undefined ? {} : {line})}));
}
