import type {TermProposal} from '../model/terms.js';
import type {Answer} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';

/** A term answered in this session. */
export type TermDecision = {readonly text: string; readonly answer: Answer; readonly score: number};

/** How many of the latest answers the screen lists. */
export const shownDecisions = 8;

export type TermsState = {
	/** The term on screen; undefined when every candidate was asked. */
	readonly current: TermProposal | undefined;
	/** The latest answers, oldest first (at most `shownDecisions`). */
	readonly history: readonly TermDecision[];
	readonly counts: Readonly<Record<Answer, number>>;
	readonly help: boolean;
	/** A one-line notice (nothing to undo). */
	readonly notice: string | undefined;
};

export type TermsAction
	= | {type: 'answer'; answer: Answer; next: TermProposal | undefined}
		| {type: 'undo'; undone: TermDecision | undefined; next: TermProposal | undefined}
		| {type: 'toggle-help'};

export function initialTermsState(first: TermProposal | undefined): TermsState {
	return {
		current: first, history: [], counts: {accept: 0, reject: 0, ignore: 0}, help: false, notice: undefined,
	};
}

/** The terms screen's state after an action; the session learns and saves before the action is dispatched. */
export function termsReducer(state: TermsState, action: TermsAction): TermsState {
	switch (action.type) {
		case 'answer': {
			if (!state.current) {
				return state;
			}

			const decision = {text: state.current.text, answer: action.answer, score: state.current.score};
			return {
				...state,
				current: action.next,
				history: [...state.history, decision].slice(-shownDecisions),
				counts: {...state.counts, [action.answer]: state.counts[action.answer] + 1},
				notice: undefined,
			};
		}

		case 'undo': {
			if (!action.undone) {
				return {...state, notice: 'Nothing to undo in this session.'};
			}

			const {undone} = action;
			const index = state.history.findLastIndex(decision => decision.text === undone.text);
			return {
				...state,
				current: action.next,
				history: index === -1 ? state.history : state.history.toSpliced(index, 1),
				counts: {...state.counts, [undone.answer]: Math.max(0, state.counts[undone.answer] - 1)},
				notice: `Undone: ${undone.answer} of "${terminalSafe(undone.text, {singleLine: true})}".`,
			};
		}

		case 'toggle-help': {
			return {...state, help: !state.help};
		}
	}
}
