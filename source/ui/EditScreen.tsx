import React, {
	useCallback, useEffect, useRef, useState,
} from 'react';
import {Box, Text, type Key} from 'ink';
import type {EditChannel} from '../recipes/manual/session.js';
import type {EditItem, EditSpan} from '../recipes/manual/types.js';
import type {Answer} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {labelColor} from './colors.js';
import {
	layoutText, textWindow, visibleLines, type Run,
} from './edit-layout.js';
import {
	charRange, editReducer, initialEditState, selection, type EditAction, type EditState,
} from './edit-reducer.js';
import {
	actionOf, editBindings, editHelpLine,
} from './key-bindings.js';
import {fit, wrapWords} from './layout.js';
import {useKeys} from './keys.js';
import {differenceWindow, spanSegments} from './span-text.js';
import {SpanSegments} from './SpanSegments.js';
import {useTerminalSize} from './use-terminal-size.js';

export type EditScreenProps = {
	readonly channel: EditChannel;
	/** "manual", "correct", "silver-to-gold" or "review": the header. */
	readonly recipe: string;
	readonly dataset: string;
	readonly labels: readonly string[];
	/** Answers in the dataset before this session. */
	readonly answeredBefore: number;
	/** Select characters rather than tokens. */
	readonly isCharacters?: boolean;
	readonly onQuit: (state: EditState) => void;
	readonly hasColor?: boolean;
};

const marks: Record<Answer, string> = {accept: '✓', reject: '✗', ignore: '·'};

const spanKeys = (spans: readonly EditSpan[]) => spans.map(span => `${span.start}:${span.end}:${span.label}`).sort().join(',');
const sameSpans = (a: readonly EditSpan[], b: readonly EditSpan[]) => spanKeys(a) === spanKeys(b);

function RunView({run, labels, hasColor}: {readonly run: Run; readonly labels: readonly string[]; readonly hasColor: boolean}) {
	const {style} = run;
	// Spans keep their label's colour; the cursor is shown inverse and the selection underlined, so both read without colour too.
	const colour = style.label !== undefined && hasColor ? {backgroundColor: labelColor(style.label, labels), color: 'black'} : {};
	return (
		<Text {...colour} bold={style.mark === true || style.selected === true} inverse={style.cursor === true} underline={style.selected === true || style.cursor === true}>
			{run.text}
		</Text>
	);
}

function LabelsLine({labels, hasColor, columns}: {readonly labels: readonly string[]; readonly hasColor: boolean; readonly columns: number}) {
	// As many labels as fit: each takes its number, a space, the label and two spaces.
	const ends = labels.slice(0, 9).map(label => label.length + 4);
	const shown = labels.slice(0, 9).filter((_label, index) => ends.slice(0, index + 1).reduce((sum, value) => sum + value, 0) < columns);
	return (
		<Text wrap='truncate'>
			{shown.map((label, index) => (
				<Text key={label}>
					<Text bold>{index + 1}</Text>
					{' '}
					<Text {...(hasColor ? {backgroundColor: labelColor(label, labels), color: 'black'} : {})}>{terminalSafe(label, {singleLine: true})}</Text>
					{'  '}
				</Text>
			))}
		</Text>
	);
}

function HelpView({columns, rows, isReview: review}: {readonly columns: number; readonly rows: number; readonly isReview: boolean}) {
	const bindings = editBindings.filter(binding => review || binding.action !== 'version');
	const keys = rows >= bindings.length + 8
		? bindings.map(binding => <Text key={binding.action}>{fit(`  ${binding.keys.padEnd(9)} ${binding.description}`, columns - 1)}</Text>)
		: wrapWords(bindings.map(binding => `${binding.keys} ${binding.description}`).join(' · '), Math.max(20, columns - 3)).map(line => <Text key={line}>{line}</Text>);
	return (
		<Box flexDirection='column' paddingX={1}>
			<Text bold>Keys</Text>
			{keys}
			<Text> </Text>
			{wrapWords('Spans cannot overlap. Each example is saved when it is answered. ? closes this help.', Math.max(20, columns - 3)).map(line => <Text key={line} dimColor>{line}</Text>)}
		</Box>
	);
}

/** Terminals at least this wide show the versions of an example side by side. */
export const versionColumns = 120;

/** Lines the versions take: a gap, a title, and per version a header and its text (side by side: one header row and the text). */
function versionsHeight(count: number, columns: number): number {
	return columns >= versionColumns && count <= 3 ? 2 + 1 + 3 : 2 + (Math.min(count, 3) * 3);
}

/**
 * The versions of an example under review, each as its text around where
 * they differ with its spans: side by side on a wide terminal, one under
 * another otherwise. The one the edit started from is marked.
 */
function VersionsView({
	item, spans, labels, columns, hasColor,
}: {readonly item: EditItem; readonly spans: readonly EditSpan[]; readonly labels: readonly string[]; readonly columns: number; readonly hasColor: boolean}) {
	const versions = item.versions!.slice(0, 3);
	const wide = columns >= versionColumns && versions.length <= 3;
	const width = wide ? Math.floor((columns - 4) / versions.length) : columns - 4;
	const lines = wide ? 3 : 2;
	const brackets = Math.max(...versions.map(version => version.spans.reduce((sum, span) => sum + span.label.length + 3, 0)));
	const window = differenceWindow(item.text, versions.map(version => version.spans), Math.max(20, Math.floor(lines * (width - 2) * 0.8) - brackets));
	const views = versions.map((version, index) => (
		<Box key={version.source} flexDirection='column' width={width} height={lines + 1} overflow='hidden' paddingRight={1}>
			<Text wrap='truncate' bold={sameSpans(version.spans, spans)}>
				{fit(`${sameSpans(version.spans, spans) ? '▸' : ' '} ${index + 1}. ${version.source}${version.count > 1 ? ` ×${version.count}` : ''} · ${version.answer}`, width - 1)}
			</Text>
			<SpanSegments segments={spanSegments(item.text, version.spans, window)} labels={labels} hasColor={hasColor}/>
		</Box>
	));
	return (
		<Box flexDirection='column'>
			<Text> </Text>
			<Text dimColor wrap='truncate'>{fit(`${item.versions!.length} versions${item.versions!.length > 3 ? ' (3 shown)' : ''}: tab takes the next; ▸ matches the spans above`, columns - 3)}</Text>
			{wide ? <Box flexDirection='row'>{views}</Box> : views}
		</Box>
	);
}

/**
 * The manual/correct screen: the example's text with its spans, a token
 * cursor and selection, the labels with their number keys, and the progress.
 */
export function EditScreen({
	channel, recipe, dataset, labels, answeredBefore, isCharacters: chars = false, onQuit, hasColor = true,
}: EditScreenProps) {
	// The latest state is kept in a ref too: keys typed faster than the screen
	// renders act on the state the previous key left, not an older render's.
	const [state, setState] = useState(() => initialEditState(labels, chars));
	const latest = useRef(state);
	const [status, setStatus] = useState<string | undefined>();
	const dispatch = useCallback((action: EditAction) => {
		latest.current = editReducer(latest.current, action);
		setState(latest.current);
	}, []);
	const {columns, rows} = useTerminalSize();

	useEffect(() => channel.subscribe(event => {
		switch (event.type) {
			case 'items': {
				dispatch({type: 'items', items: event.items});
				break;
			}

			case 'exhausted': {
				dispatch({type: 'exhausted'});
				break;
			}

			case 'ready': {
				dispatch({type: 'ready', backend: event.backend});
				break;
			}

			case 'status': {
				setStatus(event.text);
				break;
			}

			case 'store': {
				dispatch({type: 'notice', message: event.message});
				break;
			}

			case 'error': {
				dispatch({type: 'notice', message: `model: ${event.message}`});
				break;
			}
		}
	}), [channel, dispatch]);

	const answer = (kind: Answer) => {
		const now = latest.current;
		if (now.current) {
			// Saved before the screen moves on.
			const taskHash = channel.answer(now.current, kind);
			dispatch({type: 'answer', answer: kind, taskHash});
		}
	};

	const press = (input: string, key: Key) => {
		const action = actionOf(editBindings, input, key);
		const now = latest.current;
		switch (action) {
			case 'left':
			case 'right':
			case 'word-left':
			case 'word-right':
			case 'home':
			case 'end': {
				dispatch({type: 'move', to: action, extend: key.shift});
				break;
			}

			case 'extend-left':
			case 'extend-right': {
				dispatch({type: 'move', to: action === 'extend-left' ? 'left' : 'right', extend: true});
				break;
			}

			case 'select': {
				dispatch({type: 'select'});
				break;
			}

			case 'clear': {
				dispatch({type: 'clear'});
				break;
			}

			case 'label': {
				dispatch({type: 'label', index: Number(input) - 1});
				break;
			}

			case 'delete': {
				dispatch({type: 'delete'});
				break;
			}

			case 'version': {
				const versions = now.current?.item.versions ?? [];
				if (versions.length > 0) {
					const shown = versions.findIndex(version => sameSpans(version.spans, now.current!.spans));
					dispatch({type: 'use-version', index: (shown + 1) % versions.length});
				}

				break;
			}

			case 'accept': {
				answer('accept');
				break;
			}

			case 'reject': {
				answer('reject');
				break;
			}

			case 'skip': {
				answer('ignore');
				break;
			}

			case 'back': {
				const last = now.history.at(-1);
				if (last) {
					channel.undo(last);
				}

				dispatch({type: 'back'});
				break;
			}

			case 'help': {
				dispatch({type: 'toggle-help'});
				break;
			}

			case 'quit': {
				onQuit(now);
				break;
			}

			case undefined: {
				if (input !== '') {
					dispatch({type: 'notice', message: `${terminalSafe(input, {singleLine: true})} does nothing here: ? shows the keys.`});
				}

				break;
			}
		}
	};

	useKeys(press);

	const review = state.current?.item.versions !== undefined;
	const total = state.counts.accept + state.counts.reject + state.counts.ignore;
	const width = Math.max(20, columns - 4);
	const helpLines = wrapWords(editHelpLine(review), Math.max(20, columns - 1));
	const versionLines = review ? versionsHeight(state.current.item.versions!.length, columns) : 0;
	// Header, labels, blank, text, blank, cursor line, notice, blank, progress, status, help.
	const textRoom = Math.max(2, rows - 8 - versionLines - helpLines.length - (status ? 1 : 0) - 1);
	let body;
	let cursorInfo = '';
	if (state.help) {
		body = <HelpView columns={columns} rows={rows} isReview={review}/>;
	} else if (state.current) {
		const editing = state.current;
		const cursor = charRange(state, editing, editing.cursor, editing.cursor);
		const selected = editing.anchor === undefined ? undefined : selection(state, editing);
		// A long text is laid out only around the cursor: three screens of it.
		const {text} = editing.item;
		const focus = selected ? {start: Math.min(cursor.start, selected.start), end: Math.max(cursor.end, selected.end)} : cursor;
		const shown = textWindow(text, editing.spans, focus, width * textRoom * 3);
		const shift = (range: {start: number; end: number}) => ({start: range.start - shown.start, end: range.end - shown.start});
		const inside = editing.spans.filter(span => span.start >= shown.start && span.end <= shown.end).map(span => ({...span, ...shift(span)}));
		const {lines, cursorLine} = layoutText(text.slice(shown.start, shown.end), inside, {cursor: shift(cursor), ...(selected ? {selection: shift(selected)} : {})}, width);
		const {from, to} = visibleLines(lines.length, cursorLine, textRoom);
		const windowed = shown.start > 0 || shown.end < text.length;
		const under = editing.spans.find(span => span.start < cursor.end && cursor.start < span.end);
		const unit = chars ? 'character' : 'token';
		cursorInfo = [
			`${unit} ${editing.cursor + 1}/${chars ? editing.item.text.length : editing.item.tokens.length}`,
			selected ? `selected "${terminalSafe(editing.item.text.slice(selected.start, selected.end), {singleLine: true})}"` : '',
			under ? `on ${under.label}` : '',
			windowed ? `characters ${shown.start + 1}-${shown.end} of ${text.length}` : (lines.length > textRoom ? `lines ${from + 1}-${to} of ${lines.length}` : ''),
		].filter(Boolean).join(' · ');
		body = (
			<Box flexDirection='column' paddingX={2}>
				{lines.slice(from, to).map((line, number) => (
					// eslint-disable-next-line react/no-array-index-key -- lines have no identity but their place
					<Text key={from + number} wrap='truncate'>
						{line.map((run, index) => (
							// eslint-disable-next-line react/no-array-index-key -- runs neither
							<RunView key={index} run={run} labels={labels} hasColor={hasColor}/>
						))}
					</Text>
				))}
				{review ? <VersionsView item={editing.item} spans={editing.spans} labels={labels} columns={columns} hasColor={hasColor}/> : null}
			</Box>
		);
	} else {
		body = (
			<Box paddingX={2}>
				<Text>{state.exhausted ? 'No more examples: the whole source is done. Press q to quit (everything is saved), or u to go back.' : (recipe === 'manual' ? 'Reading the source…' : 'The model is reading ahead…')}</Text>
			</Box>
		);
	}

	const header = `inkling ${recipe} · ${dataset}${state.backend ? ` · model on ${state.backend}` : ''}`;
	return (
		<Box flexDirection='column'>
			<Text bold wrap='truncate'>{fit(header, columns - 1)}</Text>
			<LabelsLine labels={labels} hasColor={hasColor} columns={columns}/>
			<Text> </Text>
			{body}
			<Text> </Text>
			<Text dimColor wrap='truncate'>{fit(cursorInfo, columns - 1)}</Text>
			{state.notice ? <Text color={hasColor ? 'yellow' : undefined} wrap='truncate'>{fit(state.notice, columns - 1)}</Text> : <Text> </Text>}
			<Text wrap='truncate'>{fit(`${total} this session: ${marks.accept} ${state.counts.accept} accept · ${marks.reject} ${state.counts.reject} reject · ${marks.ignore} ${state.counts.ignore} skip · ${answeredBefore + total} in ${dataset}`, columns - 1)}</Text>
			{status ? <Text dimColor wrap='truncate'>{fit(status, columns - 1)}</Text> : null}
			{helpLines.map(line => <Text key={line} dimColor wrap='truncate'>{line}</Text>)}
		</Box>
	);
}
