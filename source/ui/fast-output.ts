// A faster last stage for Ink's frames, installed only after it is checked to
// give exactly the frame Ink's own gives.
//
// Ink draws a frame by writing each text node into an `Output`, whose `get()`
// then builds the whole frame as a grid of styled cells (one object per
// terminal cell, rows x columns) and turns each row back into a string. The
// cells of a line come from an ANSI tokenizer, cached only for one frame. On
// the teach screen (25 rows of 100 columns) that stage took about 2.5 ms of
// every frame, the largest part of a key's cost.
//
// This `get()` gives the same string with less work: a row holds cells only up
// to what was written on it, a line's cells and a row's string are kept
// across frames (most rows of a frame are rows of the frame before), and a
// row with no style is joined directly. Frames with clipping (boxes with overflow hidden) use
// Ink's own `get()`.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

type AnsiCode = {readonly code: string; readonly endCode: string};
type StyledChar = {type: 'char'; value: string; fullWidth: boolean; styles: AnsiCode[]};
type Transformer = (line: string, index: number) => string;
type Operation
	= | {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
		| {type: 'clip'; clip: unknown}
		| {type: 'unclip'};
type OutputLike = {width: number; height: number; operations: Operation[]};
type OutputClass = (new (options: {width: number; height: number}) => OutputLike & {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	get(): {output: string; height: number};
}) & {prototype: {get(this: OutputLike): {output: string; height: number}}};

type Token = {type: 'ansi'; code: string; endCode: string} | {type: 'char'; value: string; fullWidth: boolean};
type Tokenizer = {
	tokenize(text: string): Token[];
	reduceAnsiCodesIncremental(codes: AnsiCode[], newCodes: AnsiCode[]): AnsiCode[];
	styledCharsToString(chars: StyledChar[]): string;
};

/**
 * A line's cells, as ansi-tokenize's `styledCharsFromTokens` gives them. Its
 * cells are made by an object spread, which in V8 gave each cell a hidden
 * class of its own (a map, its descriptors and a property array: about 250
 * bytes a cell, and as many objects for the garbage collector); these share
 * one, and the cells of a run share its styles array (which nothing changes).
 */
function styledChars(tokenizer: Tokenizer, tokens: readonly Token[]): StyledChar[] {
	let codes: AnsiCode[] = [];
	const cells: StyledChar[] = [];
	for (const token of tokens) {
		if (token.type === 'ansi') {
			codes = tokenizer.reduceAnsiCodesIncremental(codes, [token]);
		} else {
			cells.push({
				type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes,
			});
		}
	}

	return cells;
}

const blank: StyledChar = Object.freeze({
	type: 'char', value: ' ', fullWidth: false, styles: [],
});

/** Lines kept across frames; cleared whole when it grows past this (a new screen's lines refill it). */
const cacheLimit = Number(process.env.CACHE_LIMIT ?? 4000);

function fastGet(tokenizer: Tokenizer, stringWidth: (text: string) => number) {
	const lineCells = new Map<string, StyledChar[]>();
	const rowStrings = new Map<string, string>();
	const widths = new Map<string, number>();
	const widthOf = (value: string) => {
		let width = widths.get(value);
		if (width === undefined) {
			width = Math.max(1, stringWidth(value));
			widths.set(value, width);
		}

		return width;
	};

	const cellsOf = (line: string) => {
		let cells = lineCells.get(line);
		if (cells === undefined) {
			if (lineCells.size >= cacheLimit) {
				lineCells.clear();
			}

			cells = styledChars(tokenizer, tokenizer.tokenize(line));
			lineCells.set(line, cells);
		}

		return cells;
	};

	return function (this: OutputLike, original: () => {output: string; height: number}) {
		if (this.operations.some(operation => operation.type !== 'write')) {
			return original.call(this);
		}

		// The lines written on each row, in order, with their transformers applied.
		const written: Array<Array<{x: number; line: string}>> = Array.from({length: this.height}, () => []);
		for (const operation of this.operations) {
			if (operation.type !== 'write') {
				continue;
			}

			const lines = operation.text.split('\n');
			for (const [index, text] of lines.entries()) {
				const row = written[operation.y + index];
				if (row === undefined) {
					continue;
				}

				let line = text;
				for (const transformer of operation.transformers) {
					line = transformer(line, index);
				}

				row.push({x: operation.x, line});
			}
		}

		const output = written.map(writes => {
			if (writes.length === 0) {
				return '';
			}

			// A row's string depends only on its writes and the width, and most
			// rows were in the frame before (the last answers move down a row): kept.
			let key = String(this.width);
			for (const {x, line} of writes) {
				key += `\u0000${x}\u0000${line}`;
			}

			const kept = rowStrings.get(key);
			if (kept !== undefined) {
				return kept;
			}

			const row: StyledChar[] = [];
			for (const {x: start, line} of writes) {
				let x = start;
				// Cells before the first written one are blank, as in a full grid (up to its width).
				while (row.length < Math.min(x, this.width)) {
					row.push(blank);
				}

				for (const cell of cellsOf(line)) {
					row[x] = cell;
					const width = widthOf(cell.value);
					for (let extra = 1; extra < width; extra++) {
						row[x + extra] = {
							type: 'char', value: '', fullWidth: false, styles: cell.styles,
						};
					}

					x += width;
				}
			}

			let plain = true;
			let holes = false;
			for (const cell of row) {
				if (cell === undefined) {
					holes = true;
				} else if (cell.styles.length > 0) {
					plain = false;
				}
			}

			const cells = holes ? row.filter(Boolean) : row;
			const text = (plain ? cells.map(cell => cell.value).join('') : tokenizer.styledCharsToString(cells)).trimEnd();
			if (rowStrings.size >= cacheLimit) {
				rowStrings.clear();
			}

			rowStrings.set(key, text);

			return text;
		}).join('\n');
		return {output, height: written.length};
	};
}

/** Frames to check the fast stage against Ink's own: styles, wide characters, transformers, overlaps, lines past the bottom. */
function sampleWrites(output: OutputLike & {write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void}): void {
	const bold: Transformer = line => `\u001B[1m${line}\u001B[22m`;
	const upper: Transformer = line => line.toUpperCase();
	output.write(0, 0, 'plain text line', {transformers: []});
	output.write(2, 1, 'a \u001B[30m\u001B[46m[span LABEL]\u001B[39m\u001B[49m after', {transformers: []});
	output.write(0, 2, '✓ 日本 wide · dots', {transformers: [bold]});
	output.write(4, 3, 'first\nsecond line\nthird', {transformers: [upper, bold]});
	output.write(6, 4, 'over', {transformers: []});
	output.write(0, 7, 'trailing   ', {transformers: []});
	output.write(3, 8, '\u001B[7m \u001B[27m', {transformers: []});
	output.write(0, 9, 'past the bottom', {transformers: []});
}

/** The ES module entry of package `name` as Node would find it from `folder` (for Ink's own dependencies). */
function resolveFrom(folder: string, name: string): string {
	for (let at = folder; ; at = path.dirname(at)) {
		const root = path.join(at, 'node_modules', name);
		if (fs.existsSync(path.join(root, 'package.json'))) {
			const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {exports?: unknown; module?: string; main?: string};
			type Conditions = {import?: string; default?: string};
			const exported = manifest.exports as (Conditions & {'.'?: Conditions | string}) | string | undefined;
			const main = typeof exported === 'string' ? exported : (typeof exported?.['.'] === 'string' ? exported['.'] : (exported?.['.']?.import ?? exported?.['.']?.default ?? exported?.import ?? exported?.default));
			return pathToFileURL(path.join(root, main ?? manifest.module ?? manifest.main ?? 'index.js')).href;
		}

		if (path.dirname(at) === at) {
			throw new Error(`${name} not found from ${folder}`);
		}
	}
}

let installed: Promise<boolean> | undefined;

/**
 * Replace `get()` of Ink's Output with the faster one, if it gives the same
 * frames as Ink's own on a sample (else Ink is left as it is). Returns whether
 * it was installed. Safe to call more than once.
 */
export async function installFastOutput(): Promise<boolean> {
	installed ??= (async () => {
		try {
			const require = createRequire(import.meta.url);
			const inkEntry = require.resolve('ink');
			const inkFolder = path.dirname(inkEntry);
			const {default: Output} = await import(new URL('output.js', pathToFileURL(inkEntry)).href) as {default: OutputClass};
			const tokenizer = await import(resolveFrom(inkFolder, '@alcalzone/ansi-tokenize')) as Tokenizer;
			const {default: stringWidth} = await import(resolveFrom(inkFolder, 'string-width')) as {default: (text: string) => number};
			const inks = Output.prototype.get;
			const fast = fastGet(tokenizer, stringWidth);
			for (const [width, height] of [[30, 9], [12, 6], [40, 12]] as const) {
				const sample = new Output({width, height});
				sampleWrites(sample);
				const expected = inks.call(sample);
				const actual = fast.call(sample, inks);
				if (actual.output !== expected.output || actual.height !== expected.height) {
					return false;
				}
			}

			Output.prototype.get = function (this: OutputLike) {
				return fast.call(this, inks);
			};

			return true;
		} catch {
			// Another Ink layout: draw with Ink's own stage.
			return false;
		}
	})();
	return installed;
}
