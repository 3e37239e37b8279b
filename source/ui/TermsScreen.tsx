import React, {useRef, useState} from 'react';
import {
	Box, Text, type Key,
} from 'ink';
import type {TermProposal} from '../model/terms.js';
import type {Answer} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {
	actionOf, helpLine, teachBindings,
} from './key-bindings.js';
import {useKeys} from './keys.js';
import {fit, wrapWords} from './layout.js';
import {Line} from './Line.js';
import {
	initialTermsState, termsReducer, type TermDecision, type TermsAction, type TermsState,
} from './terms-reducer.js';
import {useTerminalSize} from './use-terminal-size.js';

/** What the screen asks of a terms session: the session learns, and the command saves. */
export type TermsChannel = {
	next(): TermProposal | undefined;
	/** Learn from an answer and save it (on disk when this returns). */
	answer(proposal: TermProposal, answer: Answer): void;
	/** Take back this session's latest answer, in the session and the dataset. */
	undo(): TermDecision | undefined;
};

export type TermsScreenProps = {
	readonly channel: TermsChannel;
	readonly dataset: string;
	/** The terms accepted so far (seeds and earlier sessions): the start of the target. */
	readonly acceptedBefore: number;
	readonly answeredBefore: number;
	readonly onQuit: (state: TermsState) => void;
	readonly hasColor?: boolean;
};

const marks: Record<Answer, string> = {accept: '✓', reject: '✗', ignore: '·'};

const count = (value: number, noun: string) => `${value} ${noun}${value === 1 ? '' : 's'}`;

/** The rule for an answer, for the help screen and `terms --help`. */
export const termsAcceptRule = 'Accept a term that belongs with the seeds (a word or phrase you would want the label to cover, or that points at one); reject one that does not; ignore when you cannot tell. Each answer moves the next proposals: accepted terms pull them closer, rejected ones push them away.';

function HelpView({columns}: {readonly columns: number}) {
	const width = Math.max(20, columns - 3);
	return (
		<Box flexDirection='column' paddingX={1}>
			<Text bold>Keys</Text>
			{teachBindings.map(binding => <Text key={binding.action}>{fit(`  ${binding.keys.padEnd(6)} ${binding.description}`, width)}</Text>)}
			<Text> </Text>
			{wrapWords(termsAcceptRule, width).map(line => <Text key={line}>{line}</Text>)}
			<Text> </Text>
			<Text dimColor>{fit('Every answer is saved when its key is pressed. ? closes this help.', width)}</Text>
		</Box>
	);
}

function HistoryView({history, rows, columns}: {readonly history: readonly TermDecision[]; readonly rows: number; readonly columns: number}) {
	if (rows < 2 || history.length === 0) {
		return null;
	}

	const shown = history.slice(-(rows - 1)).toReversed();
	return (
		<Box flexDirection='column'>
			<Text dimColor>last answers (u undoes)</Text>
			{shown.map(({text, answer, score}, index) => (
				// eslint-disable-next-line react/no-array-index-key -- a term may be listed again after an undo
				<Text key={index} wrap='truncate'>{fit(` ${marks[answer]} ${answer.padEnd(6)} ${terminalSafe(text, {singleLine: true})}  ${score.toFixed(2)}`, columns - 1)}</Text>
			))}
		</Box>
	);
}

/** The terms screen: one proposed term, the progress, the last answers, the keys. */
export function TermsScreen({
	channel, dataset, acceptedBefore, answeredBefore, onQuit, hasColor = true,
}: TermsScreenProps) {
	// The latest state in a ref as well, so keys typed faster than frames act on the term they answer.
	const [state, setState] = useState(() => initialTermsState(channel.next()));
	const latest = useRef(state);
	const dispatch = (action: TermsAction) => {
		latest.current = termsReducer(latest.current, action);
		setState(latest.current);
	};

	const {columns, rows} = useTerminalSize();

	const press = (input: string, key: Key) => {
		const action = actionOf(teachBindings, input, key);
		const now = latest.current;
		switch (action) {
			case 'accept':
			case 'reject':
			case 'ignore': {
				if (now.current && !now.help) {
					channel.answer(now.current, action);
					dispatch({type: 'answer', answer: action, next: channel.next()});
				}

				break;
			}

			case 'undo': {
				const undone = channel.undo();
				dispatch({type: 'undo', undone, next: undone ? channel.next() : now.current});
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
	let body = (
		<Box paddingX={2} flexDirection='column'>
			<Text>No more terms to propose: every candidate was asked. Press q to quit.</Text>
		</Box>
	);
	if (state.help) {
		body = <HelpView columns={columns}/>;
	} else if (state.current) {
		body = (
			<Box paddingX={2} flexDirection='column'>
				<Text bold {...(hasColor ? {color: 'black', backgroundColor: 'cyan'} : {inverse: true})}>{fit(` ${terminalSafe(state.current.text, {singleLine: true})} `, columns - 5)}</Text>
				<Text> </Text>
				<Text>{`similarity ${state.current.similarity.toFixed(2)} to the accepted terms · score ${state.current.score.toFixed(2)}`}</Text>
			</Box>
		);
	}

	// Header, blank, body (3), blank, progress (2), notice, blank, help line.
	const used = 1 + 1 + 3 + 1 + 2 + (state.notice ? 1 : 0) + 1 + 1;
	return (
		<Box flexDirection='column'>
			<Line bold text={fit(`inkling terms · ${dataset}`, columns - 1)}/>
			<Text> </Text>
			{body}
			<Text> </Text>
			<Line text={fit(`answered ${total} this session: ${marks.accept} ${state.counts.accept} accept · ${marks.reject} ${state.counts.reject} reject · ${marks.ignore} ${state.counts.ignore} ignore`, columns - 1)}/>
			<Line dimColor text={fit(`${count(acceptedBefore + state.counts.accept, 'accepted term')} in all · ${count(answeredBefore + total, 'answer')} in ${dataset}`, columns - 1)}/>
			{state.notice ? <Line color={hasColor ? 'yellow' : undefined} text={fit(state.notice, columns - 1)}/> : null}
			<Text> </Text>
			{state.help ? null : <HistoryView history={state.history} rows={Math.min(9, rows - used)} columns={columns}/>}
			<Line dimColor text={fit(helpLine(teachBindings), columns - 1)}/>
		</Box>
	);
}
