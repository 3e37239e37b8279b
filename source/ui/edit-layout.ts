import type {EditSpan} from '../recipes/manual/types.js';
import {terminalSafe} from '../text/terminal-safe.js';

/** How a stretch of text is drawn. */
export type CellStyle = {
	/** Inside a span with this label (its brackets and label too). */
	readonly label?: string;
	readonly cursor?: boolean;
	readonly selected?: boolean;
	/** The bracket or label text of a span, not the text itself. */
	readonly mark?: boolean;
};

/** A run of characters drawn alike. */
export type Run = {readonly text: string; readonly style: CellStyle};

type Cell = {character: string; style: CellStyle; width: number};

/** Columns a character takes: two for East Asian wide characters and emoji, one otherwise. */
function columnsOf(character: string): number {
	const code = character.codePointAt(0)!;
	return (code >= 0x11_00 && code <= 0x11_5F) || (code >= 0x2E_80 && code <= 0xA4_CF) || (code >= 0xAC_00 && code <= 0xD7_A3)
		|| (code >= 0xF9_00 && code <= 0xFA_FF) || (code >= 0xFE_30 && code <= 0xFE_4F) || (code >= 0xFF_00 && code <= 0xFF_60)
		|| (code >= 0xFF_E0 && code <= 0xFF_E6) || (code >= 0x1_F3_00 && code <= 0x1_FA_FF) || (code >= 0x2_00_00 && code <= 0x3_FF_FD)
		? 2
		: 1;
}

const sameStyle = (a: CellStyle, b: CellStyle) => a.label === b.label && a.cursor === b.cursor && a.selected === b.selected && a.mark === b.mark;

/**
 * A text with its spans, the cursor and the selection, laid out in lines of
 * at most `width` columns: spans are drawn as "[text LABEL]" so they read
 * without colour, lines break at spaces, and everything is made safe for the
 * terminal. Returns the lines and the line the cursor is on.
 */
export function layoutText(
	text: string,
	spans: readonly EditSpan[],
	marks: {cursor: {start: number; end: number}; selection?: {start: number; end: number}},
	width: number,
): {lines: Run[][]; cursorLine: number} {
	const safe = terminalSafe(text, {singleLine: true});
	const sorted = [...spans].sort((a, b) => a.start - b.start);
	const starts = new Map<number, EditSpan>();
	const ends = new Map<number, EditSpan[]>();
	let reach = 0;
	for (const span of sorted) {
		if (span.start < reach) {
			continue; // Never happens for edited spans: overlaps are refused.
		}

		starts.set(span.start, span);
		ends.set(span.end, [...ends.get(span.end) ?? [], span]);
		reach = span.end;
	}

	const cells: Cell[] = [];
	const addMark = (value: string, label: string) => {
		for (const character of value) {
			cells.push({character, style: {label, mark: true}, width: columnsOf(character)});
		}
	};

	let open: EditSpan | undefined;
	// A cursor on an empty text still shows.
	const showEnd = marks.cursor.start >= text.length;
	for (let index = 0; index <= text.length; index++) {
		for (const span of ends.get(index) ?? []) {
			if (span === open) {
				addMark(` ${span.label}]`, span.label);
				open = undefined;
			}
		}

		if (index === text.length) {
			break;
		}

		const span = starts.get(index);
		if (span && span.end > index) {
			open = span;
			addMark('[', span.label);
		}

		const code = text.charCodeAt(index);
		// A surrogate pair is one cell.
		const character = code >= 0xD8_00 && code <= 0xDB_FF && index + 1 < text.length ? safe.slice(index, index + 2) : safe[index]!;
		const style: CellStyle = {
			...(open ? {label: open.label} : {}),
			...(index >= marks.cursor.start && index < marks.cursor.end ? {cursor: true} : {}),
			...(marks.selection && index >= marks.selection.start && index < marks.selection.end ? {selected: true} : {}),
		};
		cells.push({character, style, width: columnsOf(character)});
		index += character.length - 1;
	}

	if (showEnd) {
		cells.push({character: ' ', style: {cursor: true}, width: 1});
	}

	// Greedy wrap, breaking after the last space that fits.
	const lines: Cell[][] = [];
	let line: Cell[] = [];
	let used = 0;
	let lastSpace = -1;
	for (const cell of cells) {
		if (used + cell.width > width && line.length > 0) {
			// A word longer than the line is cut where it reaches the edge.
			const cut = lastSpace >= 0 ? lastSpace + 1 : line.length;
			lines.push(line.slice(0, cut));
			line = line.slice(cut);
			used = line.reduce((sum, item) => sum + item.width, 0);
			lastSpace = -1;
			// What was carried over may leave no room for this cell either.
			if (used + cell.width > width && line.length > 0) {
				lines.push(line);
				line = [];
				used = 0;
			}
		}

		line.push(cell);
		used += cell.width;
		if (cell.character === ' ' && !cell.style.mark) {
			lastSpace = line.length - 1;
		}
	}

	if (line.length > 0 || lines.length === 0) {
		lines.push(line);
	}

	let cursorLine = 0;
	const runs = lines.map((cells, number) => {
		const result: Array<{text: string; style: CellStyle}> = [];
		for (const cell of cells) {
			if (cell.style.cursor && cursorLine === 0 && number > 0) {
				cursorLine = number;
			}

			const last = result.at(-1);
			if (last && sameStyle(last.style, cell.style)) {
				last.text += cell.character;
			} else {
				result.push({text: cell.character, style: cell.style});
			}
		}

		return result;
	});
	return {lines: runs, cursorLine};
}

/** The lines to show of `total`, at most `room`, keeping line `focus` in view a third of the way down. */
export function visibleLines(total: number, focus: number, room: number): {from: number; to: number} {
	if (total <= room) {
		return {from: 0, to: total};
	}

	const from = Math.max(0, Math.min(total - room, focus - Math.floor(room / 3)));
	return {from, to: from + room};
}

/**
 * The stretch of a long text to lay out: about `room` characters around
 * `focus` (the cursor and selection), cut at whitespace and never inside a
 * span, so a long document costs the same per key as a short one.
 */
export function textWindow(text: string, spans: readonly EditSpan[], focus: {start: number; end: number}, room: number): {start: number; end: number} {
	if (text.length <= room) {
		return {start: 0, end: text.length};
	}

	let start = Math.max(0, Math.min(focus.start, Math.floor(((focus.start + focus.end) / 2) - (room / 2))));
	let end = Math.min(text.length, Math.max(focus.end, start + room));
	start = Math.max(0, Math.min(start, end - room));
	// Cut after whitespace, within the focus's reach.
	const space = text.slice(start, focus.start).search(/\s/u);
	if (start > 0 && space !== -1) {
		start += space + 1;
	}

	const lastSpace = Math.max(text.lastIndexOf(' ', end), text.lastIndexOf('\n', end));
	if (end < text.length && lastSpace >= focus.end) {
		end = lastSpace;
	}

	for (const span of spans) {
		if (span.start < start && span.end > start) {
			start = span.start;
		}

		if (span.start < end && span.end > end) {
			end = span.end;
		}
	}

	return {start, end};
}
