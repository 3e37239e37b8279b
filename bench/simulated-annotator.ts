import type {Question} from '../source/recipes/teach/types.js';
import type {Span} from '../source/task/task.js';
import {textPieces} from '../source/model/data.js';

type Piece = {text: string; spans: Array<{start: number; end: number; label: string}>};

/**
 * The simulated annotator: accepts a question when the gold data of its sentence
 * has exactly that span. Sentences are cut the way `TeachLoop` cuts them (no
 * spans given to the splitter), so the pieces' texts match the questions'.
 */
export class Annotator {
	readonly #texts: ReadonlyArray<{text: string; spans: Span[]}>;
	readonly #pieces = new Map<number, Piece[]>();
	constructor(texts: ReadonlyArray<{text: string; spans: Span[]}>) {
		this.#texts = texts;
	}

	piecesOf(line: number): Piece[] {
		let pieces = this.#pieces.get(line);
		if (!pieces) {
			const {text, spans} = this.#texts[line]!;
			pieces = [...textPieces(text)].map(piece => ({
				text: piece.text,
				spans: spans.filter(span => span.start >= piece.start && span.end <= piece.end).map(span => ({start: span.start - piece.start, end: span.end - piece.start, label: span.label})),
			}));
			this.#pieces.set(line, pieces);
		}

		return pieces;
	}

	answer(question: Question): 'accept' | 'reject' {
		const line = question.meta.line as number;
		// The loop asks about the first piece with a text (it skips repeats), so the first is the one.
		const piece = this.piecesOf(line).find(candidate => candidate.text === question.text);
		if (!piece) {
			throw new Error(`Question text not found in source line ${line}: ${JSON.stringify(question.text.slice(0, 80))}`);
		}

		return piece.spans.some(span => span.start === question.span.start && span.end === question.span.end && span.label === question.label) ? 'accept' : 'reject';
	}
}
