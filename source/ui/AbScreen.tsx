import React, {
	useCallback, useEffect, useRef, useState,
} from 'react';
import {
	Box, Text, type Key,
} from 'ink';
import type {AbAnswer} from '../recipes/ab-stats.js';
import type {AbChannel} from '../recipes/eval-ab/session.js';
import type {AbQuestion, Side} from '../recipes/eval-ab/types.js';
import {
	abReducer, initialAbState, type AbState, type AbStateAction,
} from './ab-reducer.js';
import {labelColor} from './colors.js';
import {
	abBindings, actionOf, helpLine,
} from './key-bindings.js';
import {useKeys} from './keys.js';
import {fit} from './layout.js';
import {differenceWindow, spanSegments, type Segment} from './span-text.js';
import {SpanSegments} from './SpanSegments.js';
import {useTerminalSize} from './use-terminal-size.js';

export type AbScreenProps = {
	readonly channel: AbChannel;
	readonly dataset: string;
	/** The models compared: only their number shows while answering (their wins come in the summary, after q). */
	readonly models: readonly string[];
	readonly labels: readonly string[];
	/** The dataset's answers before this session, so the live verdict covers them too. */
	readonly earlier: readonly AbAnswer[];
	/** Sentences skipped as identical before this session. */
	readonly identicalBefore: number;
	readonly onQuit: (state: AbState) => void;
	/** Colour highlights (off with NO_COLOR or TERM=dumb); brackets show the spans either way. */
	readonly hasColor?: boolean;
};

/** Terminals at least this wide show the options side by side. */
export const sideBySideColumns = 160;

const sides: readonly Side[] = ['1', '2'];

function OptionView({
	side, segments, labels, width, hasColor,
}: {readonly side: Side; readonly segments: readonly Segment[]; readonly labels: readonly string[]; readonly width: number; readonly hasColor: boolean}) {
	return (
		<Box width={width}>
			<Box width={4} flexShrink={0}>
				<Text bold>{` ${side} `}</Text>
			</Box>
			<Box width={Math.max(10, width - 5)}>
				<SpanSegments segments={segments} labels={labels} hasColor={hasColor}/>
			</Box>
		</Box>
	);
}

function QuestionView({
	question, labels, columns, rows, hasColor,
}: {readonly question: AbQuestion; readonly labels: readonly string[]; readonly columns: number; readonly rows: number; readonly hasColor: boolean}) {
	const wide = columns >= sideBySideColumns;
	const width = wide ? Math.floor((columns - 2) / 2) : columns - 2;
	// Lines each option may take: what the header, gaps, status and help leave.
	const lines = wide ? Math.max(2, Math.min(16, rows - 11)) : Math.max(2, Math.min(8, Math.floor((rows - 12) / 2)));
	const outputs = sides.map(side => question.outputs[question.mapping[side]] ?? []);
	const brackets = Math.max(...outputs.map(spans => spans.reduce((sum, span) => sum + span.label.length + 3, 0)));
	// Words wrap, so a line holds a little less than its width.
	const window = differenceWindow(question.text, outputs, Math.max(20, Math.floor(lines * (width - 5) * 0.8) - brackets));
	const views = sides.map((side, index) => (
		<OptionView key={side} side={side} segments={spanSegments(question.text, outputs[index]!, window)} labels={labels} width={width} hasColor={hasColor}/>
	));
	return wide
		? <Box flexDirection='row'>{views}</Box>
		: (
			<Box flexDirection='column'>
				{views[0]}
				<Text> </Text>
				{views[1]}
			</Box>
		);
}

function HelpView({columns}: {readonly columns: number}) {
	return (
		<Box flexDirection='column' paddingX={1}>
			<Text bold>Keys</Text>
			{abBindings.map(binding => (
				<Text key={binding.action}>{`  ${binding.keys.padEnd(6)} ${binding.description}`}</Text>
			))}
			<Text> </Text>
			<Text wrap='wrap'>Which output is better? Press 1 or 2 for the better one, = when neither is, space to skip. Two models labelled the sentence; which model is option 1 is random for each question and never shown. Sentences where both models give the same spans are skipped and counted. With a gold dataset, `inkling eval GOLD MODEL_A --compare MODEL_B` is the cheaper test.</Text>
			<Text> </Text>
			<Text dimColor>{fit('Every answer is saved when its key is pressed. ? closes this help.', columns - 2)}</Text>
		</Box>
	);
}

/** The eval-ab screen: one sentence as two models labelled it, on random hidden sides; the verdict so far; the keys. */
export function AbScreen({
	channel, dataset, models, labels, earlier, identicalBefore, onQuit, hasColor = true,
}: AbScreenProps) {
	// The latest state in a ref too, so keys faster than the screen act on the question they answer.
	const [state, setState] = useState(initialAbState);
	const latest = useRef(state);
	const dispatch = useCallback((action: AbStateAction) => {
		latest.current = abReducer(latest.current, action);
		setState(latest.current);
	}, []);
	const {columns, rows} = useTerminalSize();

	useEffect(() => channel.subscribe(event => {
		switch (event.type) {
			case 'error': {
				dispatch({type: 'notice', message: `models: ${event.message}`});
				break;
			}

			case 'store': {
				dispatch({type: 'notice', message: event.message});
				break;
			}

			case 'ready':
			case 'questions':
			case 'exhausted': {
				dispatch(event);
				break;
			}
		}
	}), [channel, dispatch]);

	const press = (input: string, key: Key) => {
		const action = actionOf(abBindings, input, key);
		const now = latest.current;
		switch (action) {
			case 'first':
			case 'second':
			case 'tie':
			case 'skip': {
				if (now.current) {
					const choice = action === 'first' ? '1' : (action === 'second' ? '2' : action);
					// Saved before the screen moves on.
					channel.answer(now.current, choice);
					dispatch({type: 'answer', choice});
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

	const ties = state.answers.filter(answer => answer.winner === 'tie').length;
	const skipped = state.answers.filter(answer => answer.winner === 'skip').length;
	const waiting = state.exhausted ? 'No more questions: the whole source has been read. Press q for the summary.' : 'The models are reading ahead…';
	let body = <Box paddingX={2}><Text>{waiting}</Text></Box>;
	if (state.help) {
		body = <HelpView columns={columns}/>;
	} else if (state.current) {
		body = <QuestionView question={state.current} labels={labels} columns={columns} rows={rows - (state.notice ? 1 : 0)} hasColor={hasColor}/>;
	}

	// The dataset also holds the identical sentences, as records that are not answers: they are counted apart.
	const stored = earlier.length + state.answers.length;
	const header = `inkling eval-ab · ${dataset} · ${models.length} models, blind · ${labels.join(', ')}${state.backend ? ` · on ${state.backend}` : ''}`;
	return (
		<Box flexDirection='column'>
			<Text bold wrap='truncate'>{fit(header, columns - 1)}</Text>
			<Text> </Text>
			{body}
			<Text> </Text>
			<Text wrap='truncate'>{fit(`answered ${state.answers.length} this session · ${ties} tie${ties === 1 ? '' : 's'} · ${skipped} skipped · ${identicalBefore + state.identical} identical skipped · ${stored} answer${stored === 1 ? '' : 's'} in ${dataset}`, columns - 1)}</Text>
			<Text wrap='truncate'>{fit(`${models.length} models, ${state.answers.length - ties - skipped} preferences so far: wins and verdict in the summary (q), so the test stays blind`, columns - 1)}</Text>
			{state.notice ? <Text color={hasColor ? 'yellow' : undefined} wrap='truncate'>{fit(state.notice, columns - 1)}</Text> : null}
			<Text> </Text>
			<Text dimColor wrap='truncate'>{fit(helpLine(abBindings), columns - 1)}</Text>
		</Box>
	);
}
