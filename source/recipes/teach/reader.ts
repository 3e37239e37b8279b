import {sourcePieces, type PreparedSentence} from '../../model/data.js';
import {networkSentence, type NetworkConfig} from '../../model/network.js';
import {inputHash} from '../../task/hash.js';
import type {Token} from '../../text/tokenize.js';
import type {SourceText} from './types.js';

/** A sentence of the source as teach reads it: ready for the network, with where it came from. */
export type Sentence = PreparedSentence & {meta: Record<string, unknown>};

/** How many windows' worth of pieces a window reads at most: one long text ends its window inside it. */
const longTextWindows = 10;

type Piece = {piece: {text: string; tokens: Token[]}; from: SourceText};

/**
 * Reading for teach: the source in windows of sentences, lazily, each
 * sentence once, skipping inputs answered before.
 */
export class WindowReader {
	/** The source's pieces, read lazily: a window stops after `size` of them, even inside a long text. */
	readonly #pieces: Iterator<Piece>;
	/** A piece read but left for the next window. */
	#peeked: IteratorResult<Piece> | undefined;
	#exhausted = false;
	readonly #config: Pick<NetworkConfig, 'maxSpanTokens'>;
	readonly #skipInputs: ReadonlySet<number>;
	/** Inputs read already, so a text given twice is asked about once. */
	readonly #read = new Set<number>();

	constructor(texts: Iterable<SourceText>, config: Pick<NetworkConfig, 'maxSpanTokens'>, skipInputs: ReadonlySet<number>) {
		this.#pieces = sourcePieces(texts);
		this.#config = config;
		this.#skipInputs = skipInputs;
	}

	/** Whether the source has no more text. */
	get exhausted(): boolean {
		return this.#exhausted;
	}

	/**
	 * The next window's sentences: each text split into sentences, skipping
	 * inputs answered before. A window ends with the text in which it reaches
	 * `size` sentences, so its questions are chosen among whole texts; inside
	 * one very long text (a 5 MB line), it ends after `longTextWindows` times
	 * `size` pieces, so the first question does not wait for the whole text.
	 */
	read(size: number): Sentence[] {
		const sentences: Sentence[] = [];
		let text: SourceText | undefined;
		// Pieces read, answered before or not: what bounds the work of one window.
		let read = 0;
		for (;;) {
			const next = this.#peeked ?? this.#pieces.next();
			this.#peeked = undefined;
			if (next.done) {
				this.#exhausted = true;
				break;
			}

			const {piece, from} = next.value;
			if ((sentences.length >= size && from !== text) || read >= size * longTextWindows) {
				this.#peeked = next;
				break;
			}

			text = from;
			read++;
			const hash = inputHash({text: piece.text});
			if (piece.tokens.length === 0 || this.#skipInputs.has(hash) || this.#read.has(hash)) {
				continue;
			}

			this.#read.add(hash);
			sentences.push({
				...networkSentence(piece.tokens, this.#config),
				inputHash: hash,
				text: piece.text,
				offset: 0,
				tokens: piece.tokens,
				accepted: [],
				rejected: [],
				meta: {...from.meta, ...(from.line === undefined ? {} : {line: from.line})},
			});
		}

		return sentences;
	}
}
