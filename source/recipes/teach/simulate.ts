import fs from 'node:fs';
import {UserError} from '../../errors.js';
import {textPieces} from '../../model/data.js';
import {readTasks} from '../../store/formats.js';
import type {Answer, Span} from '../../task/task.js';
import type {Question} from './types.js';

const spanKey = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label.toLowerCase()}`;

/**
 * An annotator made of gold data, for `teach --simulate-from`: it accepts a
 * question exactly when the gold annotation of its sentence has that span
 * with that label (labels compared without case, as `-l` matches them), and
 * rejects it otherwise. Sentences are cut as teach cuts them, so a
 * question's text finds its gold sentence.
 */
export class GoldAnnotator {
	/** Read a gold file (JSONL or JSON tasks with `spans`; CoNLL); rejected and ignored examples say nothing and are left out. */
	static read(file: string): GoldAnnotator {
		if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
			throw new UserError(`--simulate-from: ${file}: no such file. Give a gold file (JSONL, JSON or CoNLL) of the source's texts with their spans.`);
		}

		const {tasks, bad} = readTasks(file);
		if (bad.length > 0) {
			throw new UserError(`--simulate-from: ${bad[0]!.file}:${bad[0]!.line}: ${bad[0]!.problem}. Fix the gold file; nothing was saved.`);
		}

		const usable = tasks.filter(task => task.answer !== 'reject' && task.answer !== 'ignore');
		if (usable.length === 0) {
			throw new UserError(`--simulate-from: ${file} holds no gold examples to answer from.`);
		}

		return new GoldAnnotator(usable.map(task => ({text: task.text, spans: task.spans ?? []})));
	}

	/** Gold span keys of each sentence, by the sentence's text; a sentence seen twice keeps its first annotation. */
	readonly #sentences = new Map<string, Set<string>>();

	constructor(texts: ReadonlyArray<{text: string; spans: readonly Span[]}>) {
		for (const {text, spans} of texts) {
			for (const piece of textPieces(text)) {
				if (!this.#sentences.has(piece.text)) {
					this.#sentences.set(piece.text, new Set(spans
						.filter(span => span.start >= piece.start && span.end <= piece.end)
						.map(span => spanKey({start: span.start - piece.start, end: span.end - piece.start, label: span.label}))));
				}
			}
		}
	}

	/** Sentences the annotator knows. */
	get size(): number {
		return this.#sentences.size;
	}

	/** The gold answer to a question, or undefined when its sentence is not in the gold data. */
	answer(question: Question): Extract<Answer, 'accept' | 'reject'> | undefined {
		const gold = this.#sentences.get(question.text);
		if (!gold) {
			return undefined;
		}

		return gold.has(spanKey({start: question.span.start, end: question.span.end, label: question.label})) ? 'accept' : 'reject';
	}
}
