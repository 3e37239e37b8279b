import React, {
	useCallback, useEffect, useRef, useState,
} from 'react';
import {
	Box, Text, type Key,
} from 'ink';
import type {TeachChannel} from '../recipes/teach/session.js';
import type {ModelStatus, Question} from '../recipes/teach/types.js';
import type {Answer} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {labelColor} from './colors.js';
import {
	actionOf, helpLine, teachAcceptRule, teachBindings,
} from './key-bindings.js';
import {useKeys} from './keys.js';
import {clipAround, fit, wrapWords} from './layout.js';
import {layoutText} from './edit-layout.js';
import {Line, asciiRuns} from './Line.js';
import {
	editable, initialTeachState, sameOnScreen, teachReducer, type Decision, type TeachAction, type TeachState,
} from './teach-reducer.js';
import {useTerminalSize} from './use-terminal-size.js';

export type TeachScreenProps = {
	readonly channel: TeachChannel;
	readonly dataset: string;
	/** Answers in the dataset before this session. */
	readonly answeredBefore: number;
	/** The rule that chooses questions, for the help screen. */
	readonly rule: string;
	readonly onQuit: (state: TeachState) => void;
	/** Colour highlights (off with NO_COLOR or TERM=dumb); brackets show the span either way. */
	readonly hasColor?: boolean;
};

const marks: Record<Answer, string> = {accept: '✓', reject: '✗', ignore: '·'};

/** Whether the losses of the latest updates went down, up, or stayed. */
export function trend(losses: readonly number[]): string {
	if (losses.length < 2) {
		return '';
	}

	const recent = losses.slice(-3);
	const before = losses.slice(-6, -3);
	const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
	const now = mean(recent);
	const then = before.length > 0 ? mean(before) : losses[0]!;
	if (now < then * 0.95) {
		return ' ↓';
	}

	return now > then * 1.05 ? ' ↑' : ' →';
}

/** The model part of the progress line. */
export function modelLine(status: ModelStatus | undefined, backend: string | undefined): string {
	const parts = [`model on ${backend ?? '…'}`];
	if (status && status.updates > 0) {
		parts.push(`${status.updates} update${status.updates === 1 ? '' : 's'}, loss ${status.losses.at(-1)!.toFixed(3)}${trend(status.losses)}`);
	}

	if (status?.f1 !== undefined) {
		parts.push(`gold F1 ${status.f1.toFixed(3)} (start ${status.startF1?.toFixed(3) ?? '?'})`);
	}

	return parts.join(' · ');
}

function QuestionView({
	question, labels, columns, lines, hasColor,
}: {readonly question: Question; readonly labels: readonly string[]; readonly columns: number; readonly lines: number; readonly hasColor: boolean}) {
	const width = Math.max(20, columns - 4);
	const {before, span, after} = clipAround(question.text, question.span.start, question.span.end, (width * lines) - question.label.length - 4);
	// Laid out here, in lines that fit, so Ink never wraps (its wrapping measures every word the slow way).
	const shown = layoutText(before + span + after, [{start: before.length, end: before.length + span.length, label: question.label}], {cursor: {start: -1, end: -1}}, width);
	const highlight = hasColor ? {backgroundColor: labelColor(question.label, labels), color: 'black'} : {inverse: true};
	return (
		<Box flexDirection='column' paddingX={2}>
			{shown.lines.map((line, number) => (
				// eslint-disable-next-line react/no-array-index-key -- lines have no identity but their place
				<Box key={number}>
					{line.flatMap((run, index) => asciiRuns(run.text).map((part, piece) => (
						// eslint-disable-next-line react/no-array-index-key -- runs neither
						<Text key={`${index}.${piece}`} {...(run.style.label === undefined ? {} : {bold: true, ...highlight})}>{part}</Text>
					)))}
				</Box>
			))}
			<Text> </Text>
			<Box>
				<Text bold>{question.label}</Text>
				<Text>{`  probability ${question.score.toFixed(2)}`}</Text>
				{question.pattern === undefined ? null : <Line text={fit(`  · pattern ${question.pattern}`, Math.max(0, width - 30))}/>}
			</Box>
		</Box>
	);
}

function HistoryView({history, rows, columns}: {readonly history: readonly Decision[]; readonly rows: number; readonly columns: number}) {
	if (rows < 2 || history.length === 0) {
		return null;
	}

	// Two text nodes, the marks and the rest, rather than a node a line: the
	// rest is ASCII unless the data is not, and Ink measures ASCII fast.
	const shown = history.slice(-(rows - 1)).toReversed();
	const marksColumn = shown.map(({answer}) => ` ${marks[answer]}`).join('\n');
	const rest = shown.map(({question, answer}) => fit(` ${answer.padEnd(6)} ${terminalSafe(question.span.text ?? '', {singleLine: true})}  ${question.label} ${question.score.toFixed(2)}`, columns - 3)).join('\n');
	return (
		<Box flexDirection='column'>
			<Text dimColor>{`last answers (u undoes, up to ${editable})`}</Text>
			<Box>
				<Text>{marksColumn}</Text>
				<Text wrap='truncate'>{rest}</Text>
			</Box>
		</Box>
	);
}

function HelpView({rule, columns, rows}: {readonly rule: string; readonly columns: number; readonly rows: number}) {
	const width = Math.max(20, columns - 3);
	// On a short terminal the keys take one line; the selection rule gets what is left, cut with a pointer to --help.
	const keys = rows >= 32
		? teachBindings.map(binding => `  ${binding.keys.padEnd(6)} ${binding.description}`)
		: wrapWords(helpLine(teachBindings), width);
	const accept = wrapWords(teachAcceptRule, width);
	// The screen's other lines: header, blanks, progress, status and the key line.
	const budget = Math.max(0, rows - 8 - (1 + keys.length + 1 + accept.length + 1 + 1 + 1));
	const ruleLines = wrapWords(rule, width);
	const shown = ruleLines.length <= budget ? ruleLines : [...ruleLines.slice(0, Math.max(0, budget - 1)), '… (`inkling teach --help` has the whole rule)'];
	return (
		<Box flexDirection='column' paddingX={1}>
			<Text bold>Keys</Text>
			{keys.map(line => <Text key={line}>{line}</Text>)}
			<Text> </Text>
			{accept.map(line => <Text key={line}>{line}</Text>)}
			<Text> </Text>
			{shown.map(line => <Text key={line}>{line}</Text>)}
			<Text> </Text>
			<Text dimColor>{fit('Every answer is saved when its key is pressed. ? closes this help.', columns - 2)}</Text>
		</Box>
	);
}

/** The teach screen: one question, the progress, the last answers, the keys. */
export function TeachScreen({
	channel, dataset, answeredBefore, rule, onQuit, hasColor = true,
}: TeachScreenProps) {
	// The reducer's latest state is kept in a ref as well: keys pressed faster
	// than the screen renders must act on the question they answer, not on the
	// one an older render's handler saw.
	const [state, setState] = useState(initialTeachState);
	const latest = useRef(state);
	const dispatch = useCallback((action: TeachAction) => {
		const before = latest.current;
		latest.current = teachReducer(before, action);
		// The queue is not on screen: questions the worker adds behind the one
		// shown need no frame (a frame drawn for them would delay the next key's).
		if (!sameOnScreen(before, latest.current)) {
			setState(latest.current);
		}
	}, []);
	const {columns, rows} = useTerminalSize();

	useEffect(() => channel.subscribe(event => {
		switch (event.type) {
			case 'ready': {
				dispatch({type: 'ready', backend: event.backend, labels: event.labels});
				break;
			}

			case 'questions': {
				dispatch({
					type: 'questions', questions: event.questions, replace: event.replace, ...(event.reserve ? {reserve: event.reserve} : {}),
				});
				break;
			}

			case 'status': {
				dispatch({type: 'status', status: event.status});
				break;
			}

			case 'exhausted': {
				dispatch({type: 'exhausted'});
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

	const press = (input: string, key: Key) => {
		const action = actionOf(teachBindings, input, key);
		const now = latest.current;
		switch (action) {
			case 'accept':
			case 'reject':
			case 'ignore': {
				if (now.current) {
					// Saved before the screen moves on: the answer is on disk when the next question shows.
					channel.answer(now.current, action);
					dispatch({type: 'answer', answer: action});
				}

				break;
			}

			case 'undo': {
				const last = now.history.at(-1);
				if (last) {
					channel.undo(last.question);
				}

				dispatch({type: 'undo'});
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
				break;
			}
		}
	};

	useKeys(press);

	const total = state.counts.accept + state.counts.reject + state.counts.ignore;
	const labels = state.labels.length > 0 ? state.labels : (state.current ? [state.current.label] : []);
	const textLines = Math.max(2, Math.min(6, rows - 16));
	const worse = state.status?.f1 !== undefined && state.status.startF1 !== undefined && state.status.f1 < state.status.startF1 - 0.005;
	// Header, blank, question (text + blank + label), blank, two progress lines, warning, blank, help.
	const used = 1 + 1 + textLines + 2 + 1 + 2 + (worse ? 1 : 0) + (state.notice ? 1 : 0) + 1 + 1;
	const waiting = state.exhausted ? 'No more questions: the whole source has been read. Press q to quit; the model is saved.' : 'The model is reading ahead…';
	let body = (
		<Box paddingX={2} flexDirection='column'>
			<Text>{waiting}</Text>
			<Text> </Text>
		</Box>
	);
	if (state.help) {
		body = <HelpView rule={rule} columns={columns} rows={rows}/>;
	} else if (state.current) {
		body = <QuestionView question={state.current} labels={labels} columns={columns} lines={textLines} hasColor={hasColor}/>;
	}

	const header = `inkling teach · ${dataset}${labels.length > 0 ? ` · ${labels.join(', ')}` : ''}`;

	return (
		<Box flexDirection='column'>
			<Line bold text={fit(header, columns - 1)}/>
			<Text> </Text>
			{body}
			<Text> </Text>
			<Line text={fit(`answered ${total} this session: ${marks.accept} ${state.counts.accept} accept · ${marks.reject} ${state.counts.reject} reject · ${marks.ignore} ${state.counts.ignore} ignore · ${answeredBefore + total} in ${dataset}`, columns - 1)}/>
			<Line dimColor={!worse} text={fit(modelLine(state.status, state.backend), columns - 1)}/>
			{worse ? <Line bold color={hasColor ? 'red' : undefined} text={fit(`⚠ gold F1 ${state.status.f1!.toFixed(3)} is below the start (${state.status.startF1!.toFixed(3)}): the model got worse; consider undoing or stopping`, columns - 1)}/> : null}
			{state.notice ? <Line color={hasColor ? 'yellow' : undefined} text={fit(state.notice, columns - 1)}/> : null}
			<Text> </Text>
			{state.help ? null : <HistoryView history={state.history} rows={Math.min(editable + 1, rows - used)} columns={columns}/>}
			<Line dimColor text={fit(helpLine(teachBindings), columns - 1)}/>
		</Box>
	);
}
