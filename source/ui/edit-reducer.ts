import type {EditItem, EditSpan} from '../recipes/manual/types.js';
import type {Answer} from '../task/task.js';
import {spanToTokens} from '../text/spans.js';

/** The example on screen, as it is being edited. */
export type Editing = {
	readonly item: EditItem;
	readonly spans: readonly EditSpan[];
	/** A token index, or a character index with `chars`. */
	readonly cursor: number;
	/** The other end of the selection, if one is being made. */
	readonly anchor: number | undefined;
	/** `v` started the selection: moving the cursor extends it until a label, `v` or escape. */
	readonly sticky: boolean;
};

/** An example answered in this session, kept so `u` can go back to it. */
export type Done = {readonly editing: Editing; readonly answer: Answer; readonly taskHash: number};

export type EditState = {
	readonly labels: readonly string[];
	/** Character selection (`--highlight-chars`) instead of tokens. */
	readonly chars: boolean;
	readonly current: Editing | undefined;
	readonly queue: readonly Editing[];
	readonly history: readonly Done[];
	readonly counts: Readonly<Record<Answer, number>>;
	readonly exhausted: boolean;
	readonly help: boolean;
	readonly notice: string | undefined;
	readonly backend?: string;
};

export type EditAction
	= | {type: 'items'; items: readonly EditItem[]}
		| {type: 'exhausted'}
		| {type: 'ready'; backend: string}
		| {type: 'move'; to: 'left' | 'right' | 'word-left' | 'word-right' | 'home' | 'end'; extend: boolean}
		| {type: 'select'}
		| {type: 'clear'}
		| {type: 'label'; index: number}
		| {type: 'delete'}
		| {type: 'use-version'; index: number}
		| {type: 'answer'; answer: Answer; taskHash: number}
		| {type: 'back'}
		| {type: 'toggle-help'}
		| {type: 'notice'; message: string | undefined};

export function initialEditState(labels: readonly string[], chars = false): EditState {
	return {
		labels,
		chars,
		current: undefined,
		queue: [],
		history: [],
		counts: {accept: 0, reject: 0, ignore: 0},
		exhausted: false,
		help: false,
		notice: undefined,
	};
}

/** A fresh editing state for an item: its own spans, the cursor on the first token. */
export function startEditing(item: EditItem): Editing {
	return {
		item, spans: item.spans, cursor: 0, anchor: undefined, sticky: false,
	};
}

/** How many cursor positions the example has: tokens, or characters. */
function positions(state: EditState, editing: Editing): number {
	return state.chars ? editing.item.text.length : editing.item.tokens.length;
}

/** The character range `[start, end)` of the positions from `a` to `b`, both included. */
export function charRange(state: Pick<EditState, 'chars'>, editing: Editing, a: number, b: number): {start: number; end: number} {
	const low = Math.min(a, b);
	const high = Math.max(a, b);
	if (state.chars) {
		return {start: low, end: high + 1};
	}

	const {tokens} = editing.item;
	return {start: tokens[low]?.start ?? 0, end: tokens[high]?.end ?? 0};
}

/** The character range selected (or under the cursor when nothing is). */
export function selection(state: Pick<EditState, 'chars'>, editing: Editing): {start: number; end: number} {
	return charRange(state, editing, editing.anchor ?? editing.cursor, editing.cursor);
}

const wordLike = /[\p{L}\p{N}]/u;

/** Where a move takes the cursor. */
function target(state: EditState, editing: Editing, to: Extract<EditAction, {type: 'move'}>['to']): number {
	const last = positions(state, editing) - 1;
	const {cursor, item} = editing;
	const isStop = (position: number) => {
		if (state.chars) {
			// Word jumps go from token start to token start.
			return item.tokens.some(token => token.start === position);
		}

		return wordLike.test(item.tokens[position]?.text ?? '');
	};

	switch (to) {
		case 'left': {
			return Math.max(0, cursor - 1);
		}

		case 'right': {
			return Math.min(last, cursor + 1);
		}

		case 'home': {
			return 0;
		}

		case 'end': {
			return last;
		}

		case 'word-left': {
			for (let position = cursor - 1; position >= 0; position--) {
				if (isStop(position)) {
					return position;
				}
			}

			return 0;
		}

		case 'word-right': {
			for (let position = cursor + 1; position <= last; position++) {
				if (isStop(position)) {
					return position;
				}
			}

			return last;
		}
	}
}

/** The spans that share a character with `start`-`end`. */
function overlapping(spans: readonly EditSpan[], start: number, end: number): EditSpan[] {
	return spans.filter(span => span.start < end && start < span.end);
}

/** A span as the person sees it in a message. */
export function describeSpan(text: string, span: EditSpan): string {
	const inner = text.slice(span.start, span.end).replaceAll(/\s+/gu, ' ');
	return `[${inner.length > 30 ? inner.slice(0, 29) + '…' : inner} ${span.label}]`;
}

/** A new span over `start`-`end` in Prodigy's shape: token indices when it lines up with tokens. */
function makeSpan(item: EditItem, start: number, end: number, label: string): EditSpan {
	const tokens = spanToTokens(item.tokens, {start, end});
	return {
		start, end, ...tokens, label,
	};
}

function label(state: EditState, editing: Editing, index: number): EditState {
	const name = state.labels[index];
	if (name === undefined) {
		return {...state, notice: `No label ${index + 1}: the labels are ${state.labels.map((label, number) => `${number + 1} ${label}`).join(', ')}.`};
	}

	let {start, end} = selection(state, editing);
	const {text} = editing.item;
	// Selections never start or end in whitespace.
	while (start < end && /\s/u.test(text[start]!)) {
		start++;
	}

	while (end > start && /\s/u.test(text[end - 1]!)) {
		end--;
	}

	if (start >= end) {
		return {...state, notice: 'Only whitespace is selected: move the cursor onto a word.'};
	}

	const clashes = overlapping(editing.spans, start, end);
	const same = clashes.length === 1 && clashes[0]!.start === start && clashes[0]!.end === end;
	if (clashes.length > 0 && !same) {
		return {...state, notice: `Spans cannot overlap: ${clashes.map(span => describeSpan(text, span)).join(', ')} is in the way. Put the cursor on it and press d to delete it first.`};
	}

	const kept = editing.spans.filter(span => !clashes.includes(span));
	const spans = [...kept, makeSpan(editing.item, start, end, name)].sort((a, b) => a.start - b.start);
	return {
		...state,
		current: {
			...editing, spans, anchor: undefined, sticky: false,
		},
		notice: same ? `Relabelled ${describeSpan(text, clashes[0]!)} as ${name}.` : undefined,
	};
}

function deleteSpan(state: EditState, editing: Editing): EditState {
	const {start, end} = selection(state, editing);
	const under = overlapping(editing.spans, start, end);
	if (under.length === 0) {
		return {...state, notice: 'No span under the cursor to delete.'};
	}

	return {
		...state,
		current: {
			...editing, spans: editing.spans.filter(span => !under.includes(span)), anchor: undefined, sticky: false,
		},
		notice: undefined,
	};
}

/** The edit screen's state changes; pure, so it is tested without a terminal. */
export function editReducer(state: EditState, action: EditAction): EditState {
	switch (action.type) {
		case 'items': {
			const queue = [...state.queue, ...action.items.map(item => startEditing(item))];
			if (state.current) {
				return {...state, queue};
			}

			const [current, ...rest] = queue;
			return {...state, current, queue: rest};
		}

		case 'exhausted': {
			return {...state, exhausted: true};
		}

		case 'ready': {
			return {...state, backend: action.backend};
		}

		case 'toggle-help': {
			return {...state, help: !state.help};
		}

		case 'notice': {
			return {...state, notice: action.message};
		}

		case 'back': {
			const last = state.history.at(-1);
			if (!last) {
				return {...state, notice: 'Nothing to go back to in this session.'};
			}

			return {
				...state,
				current: last.editing,
				queue: state.current ? [state.current, ...state.queue] : state.queue,
				history: state.history.slice(0, -1),
				counts: {...state.counts, [last.answer]: state.counts[last.answer] - 1},
				notice: undefined,
			};
		}

		case 'move':
		case 'select':
		case 'clear':
		case 'label':
		case 'delete':
		case 'use-version':
		case 'answer': {
			break;
		}
	}

	const editing = state.current;
	if (!editing) {
		return state;
	}

	switch (action.type) {
		case 'move': {
			const cursor = target(state, editing, action.to);
			const keep = action.extend || editing.sticky;
			return {
				...state,
				current: {
					...editing, cursor, anchor: keep ? (editing.anchor ?? editing.cursor) : undefined,
				},
				notice: undefined,
			};
		}

		case 'select': {
			const on = editing.anchor === undefined;
			return {
				...state,
				current: {
					...editing, anchor: on ? editing.cursor : undefined, sticky: on,
				},
			};
		}

		case 'clear': {
			return {
				...state, current: {...editing, anchor: undefined, sticky: false}, notice: undefined,
			};
		}

		case 'label': {
			return label(state, editing, action.index);
		}

		case 'delete': {
			return deleteSpan(state, editing);
		}

		case 'use-version': {
			const version = editing.item.versions?.[action.index];
			if (!version) {
				return {...state, notice: `No version ${action.index + 1}.`};
			}

			return {
				...state, current: {
					...editing, spans: version.spans, anchor: undefined, sticky: false,
				}, notice: `Took version ${action.index + 1} (${version.source}): edit it or press enter.`,
			};
		}

		case 'answer': {
			const [current, ...queue] = state.queue;
			return {
				...state,
				current,
				queue,
				history: [...state.history, {editing: {...editing, anchor: undefined, sticky: false}, answer: action.answer, taskHash: action.taskHash}],
				counts: {...state.counts, [action.answer]: state.counts[action.answer] + 1},
				notice: undefined,
			};
		}
	}
}
