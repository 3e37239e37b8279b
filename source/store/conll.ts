import {tokenize} from '../text/tokenize.js';
import {cutTokensAtSpans} from '../text/spans.js';
import type {Span, Task, TaskToken} from '../task/task.js';

/** A sentence read from a CoNLL/BIO file, or what was wrong with it. */
export type ConllRecord = {line: number; task?: Task; problem?: string};

const tagPattern = /^(?:O|([BIESLU])-(.+))$/u;

/**
 * Read CoNLL/BIO token lines: a token and its tag per line (tag in the last
 * column, separated by tabs or spaces), a blank line between sentences.
 * `-DOCSTART-` lines are skipped. BIO, IOB1, BIOES and BILUO tags are read.
 * A `# text = ...` comment gives the sentence's text, so tokens keep their
 * spacing; without it tokens are joined by single spaces.
 */
export function * readConll(content: string): Generator<ConllRecord> {
	const lines = content.split(/\r?\n/u);
	let tokens: Array<{text: string; tag: string; line: number}> = [];
	let text: string | undefined;
	let firstLine = 1;

	function * flush(): Generator<ConllRecord> {
		if (tokens.length > 0) {
			yield sentenceRecord(tokens, text, firstLine);
		}

		tokens = [];
		text = undefined;
	}

	for (const [index, raw] of lines.entries()) {
		const lineNumber = index + 1;
		const line = raw.trim();
		if (line === '') {
			yield * flush();
			continue;
		}

		if (line.startsWith('-DOCSTART-')) {
			yield * flush();
			continue;
		}

		const columns = line.split(/\s+/u);
		const tag = columns.at(-1)!;
		// A comment, unless it is a "#" token with its tag
		if (line.startsWith('#') && (line.startsWith('# text = ') || columns.length < 2 || !tagPattern.test(tag))) {
			if (line.startsWith('# text = ') && tokens.length === 0) {
				text = raw.replace(/^\s*# text = /u, '');
			}

			continue;
		}

		if (tokens.length === 0) {
			firstLine = lineNumber;
		}

		if (columns.length < 2) {
			yield {line: lineNumber, problem: `expected a token and a tag separated by a tab or space, got "${line}"`};
			tokens = [];
			text = undefined;
			continue;
		}

		if (!tagPattern.test(tag)) {
			yield {line: lineNumber, problem: `"${tag}" is not a tag: tags are O, or B-, I-, E-, S-, L-, U- and a label`};
			tokens = [];
			text = undefined;
			continue;
		}

		tokens.push({text: columns[0]!, tag, line: lineNumber});
	}

	yield * flush();
}

function sentenceRecord(rows: Array<{text: string; tag: string; line: number}>, givenText: string | undefined, line: number): ConllRecord {
	const tokens: TaskToken[] = [];
	let text = givenText ?? '';
	if (givenText === undefined) {
		for (const [id, row] of rows.entries()) {
			const start = text.length === 0 ? 0 : text.length + 1;
			text = text.length === 0 ? row.text : `${text} ${row.text}`;
			tokens.push({
				text: row.text, start, end: start + row.text.length, id, ws: id < rows.length - 1,
			});
		}
	} else {
		let cursor = 0;
		for (const [id, row] of rows.entries()) {
			const start = text.indexOf(row.text, cursor);
			if (start === -1) {
				return {line: row.line, problem: `token "${row.text}" is not in the sentence's "# text = " line`};
			}

			cursor = start + row.text.length;
			tokens.push({
				text: row.text, start, end: cursor, id, ws: /^\s/u.test(text.slice(cursor, cursor + 1)),
			});
		}
	}

	const spans: Span[] = [];
	let open: {label: string; first: number} | undefined;
	const close = (last: number) => {
		if (open) {
			spans.push({
				start: tokens[open.first]!.start, end: tokens[last]!.end, token_start: open.first, token_end: last, label: open.label,
			});
			open = undefined;
		}
	};

	for (const [index, row] of rows.entries()) {
		const match = tagPattern.exec(row.tag)!;
		const prefix = match[1];
		const label = match[2];
		if (!prefix || !label) {
			close(index - 1);
			continue;
		}

		const continues = (prefix === 'I' || prefix === 'E' || prefix === 'L') && open?.label === label;
		if (!continues) {
			close(index - 1);
			open = {label, first: index};
		}

		if (prefix === 'E' || prefix === 'L' || prefix === 'S' || prefix === 'U') {
			close(index);
		}
	}

	close(rows.length - 1);
	return {line, task: {text, tokens, spans}};
}

/** BIO lines for one task. Overlapping spans cannot be written: the earlier, then longer, span wins; the count of dropped ones is returned. */
export function writeConll(task: Task): {text: string; dropped: number} {
	const spans = [...(task.spans ?? [])].sort((a, b) => a.start - b.start || b.end - a.end);
	const kept: Span[] = [];
	for (const span of spans) {
		const previous = kept.at(-1);
		if (!previous || span.start >= previous.end) {
			kept.push(span);
		}
	}

	const tokens = cutTokensAtSpans(task.text, task.tokens ?? tokenize(task.text), kept);
	const lines: string[] = [];
	if (tokens.map(token => token.text).join(' ') !== task.text) {
		lines.push(`# text = ${task.text.replaceAll(/[\r\n]/gu, ' ')}`);
	}

	let spanIndex = 0;
	for (const token of tokens) {
		while (spanIndex < kept.length && kept[spanIndex]!.end <= token.start) {
			spanIndex++;
		}

		const span = kept[spanIndex];
		let tag = 'O';
		if (span && token.start >= span.start && token.end <= span.end) {
			tag = `${token.start === span.start ? 'B' : 'I'}-${span.label}`;
		}

		lines.push(`${token.text.replaceAll(/\s/gu, '_')}\t${tag}`);
	}

	return {text: lines.join('\n') + '\n', dropped: spans.length - kept.length};
}
