import type {Span} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';

/** A piece of text to draw: plain, or a span with its label. */
export type Segment = {readonly text: string; readonly label?: string};

/** A stretch of a text, `end` exclusive. */
export type Window = {start: number; end: number};

const key = (span: Span) => `${span.start}:${span.end}:${span.label}`;

/**
 * The stretch of `text` every output is shown in, about `room` characters:
 * the whole text when it fits, else the part where the outputs differ with
 * the words around it. Never cuts a span.
 */
export function differenceWindow(text: string, outputs: ReadonlyArray<readonly Span[]>, room: number): Window {
	if (text.length <= room) {
		return {start: 0, end: text.length};
	}

	const all = outputs.flat();
	const counts = new Map<string, number>();
	for (const span of all) {
		counts.set(key(span), (counts.get(key(span)) ?? 0) + 1);
	}

	const differing = all.filter(span => counts.get(key(span))! < outputs.length);
	const focus = differing.length > 0 ? differing : all;
	const from = focus.length > 0 ? Math.min(...focus.map(span => span.start)) : 0;
	const to = focus.length > 0 ? Math.max(...focus.map(span => span.end)) : 0;
	const left = Math.max(0, room - (to - from));
	let start = Math.max(0, from - Math.floor(left / 2));
	let end = Math.min(text.length, start + Math.max(room, to - from));
	start = Math.max(0, Math.min(start, end - room));
	for (const span of all) {
		if (span.start < start && span.end > start) {
			start = span.start;
		}

		if (span.start < end && span.end > end) {
			end = span.end;
		}
	}

	return {start, end};
}

/** The window of a text as segments, made safe to draw, with "…" where the text goes on. Overlapping spans after the first are left out. */
export function spanSegments(text: string, spans: readonly Span[], window?: Window): Segment[] {
	const {start, end} = window ?? {start: 0, end: text.length};
	const safe = (value: string) => terminalSafe(value, {singleLine: true});
	const segments: Segment[] = [];
	let position = start;
	const plain = (to: number) => {
		if (to > position) {
			segments.push({text: safe(text.slice(position, to))});
		}
	};

	if (start > 0) {
		segments.push({text: '…'});
	}

	for (const span of [...spans].sort((a, b) => a.start - b.start)) {
		if (span.start < position || span.end > end) {
			continue;
		}

		plain(span.start);
		segments.push({text: safe(text.slice(span.start, span.end)), label: span.label});
		position = span.end;
	}

	plain(end);
	if (end < text.length) {
		segments.push({text: '…'});
	}

	return segments;
}
