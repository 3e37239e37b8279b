import type {AbAnswer} from '../recipes/ab-stats.js';
import {winnerOf} from '../recipes/eval-ab/answers.js';
import type {AbChoice, AbQuestion} from '../recipes/eval-ab/types.js';
import {editable} from './teach-reducer.js';

/** An answer given in this session, still editable while it is among the last `editable`. */
export type AbDecision = {readonly question: AbQuestion; readonly choice: AbChoice};

export type AbState = {
	/** The question on screen. */
	readonly current: AbQuestion | undefined;
	/** Questions waiting, next first. */
	readonly queue: readonly AbQuestion[];
	/** The latest decisions, oldest first (at most `editable`). */
	readonly history: readonly AbDecision[];
	/** Every answer of this session, by model (never by side), oldest first. */
	readonly answers: readonly AbAnswer[];
	/** Sentences skipped in this session because both models gave the same spans. */
	readonly identical: number;
	/** Questions answered in this session, so none comes back. */
	readonly answered: ReadonlySet<number>;
	readonly backend: string | undefined;
	/** The worker has read the whole source. */
	readonly exhausted: boolean;
	readonly help: boolean;
	/** A one-line notice (nothing to undo, an error from the worker). */
	readonly notice: string | undefined;
};

export type AbStateAction
	= | {type: 'ready'; backend: string}
		| {type: 'questions'; questions: readonly AbQuestion[]}
		| {type: 'exhausted'; agreed: number}
		| {type: 'answer'; choice: AbChoice}
		| {type: 'undo'}
		| {type: 'toggle-help'}
		| {type: 'notice'; message: string | undefined};

export const initialAbState: AbState = {
	current: undefined,
	queue: [],
	history: [],
	answers: [],
	identical: 0,
	answered: new Set(),
	backend: undefined,
	exhausted: false,
	help: false,
	notice: undefined,
};

function advance(state: AbState, queue: readonly AbQuestion[]): AbState {
	const [current, ...rest] = queue;
	return {...state, current, queue: rest};
}

/** The eval-ab screen's state changes; pure, so it is tested without a terminal. */
export function abReducer(state: AbState, action: AbStateAction): AbState {
	switch (action.type) {
		case 'ready': {
			return {...state, backend: action.backend};
		}

		case 'questions': {
			const known = new Set([...state.queue.map(question => question.id), ...(state.current ? [state.current.id] : [])]);
			const fresh = action.questions.filter(question => !state.answered.has(question.id) && !known.has(question.id));
			const queue = [...state.queue, ...fresh];
			return state.current ? {...state, queue} : advance(state, queue);
		}

		case 'exhausted': {
			return {...state, exhausted: true, identical: state.identical + action.agreed};
		}

		case 'answer': {
			const question = state.current;
			if (!question) {
				return state;
			}

			const answered = new Set(state.answered);
			answered.add(question.id);
			return advance({
				...state,
				history: [...state.history, {question, choice: action.choice}].slice(-editable),
				answers: [...state.answers, {winner: winnerOf(question, action.choice), models: question.models}],
				identical: state.identical + question.agreed.length,
				answered,
				notice: undefined,
			}, state.queue);
		}

		case 'undo': {
			const last = state.history.at(-1);
			if (!last) {
				return {...state, notice: `Nothing to undo: the last ${editable} answers can be undone.`};
			}

			const answered = new Set(state.answered);
			answered.delete(last.question.id);
			return {
				...state,
				current: last.question,
				queue: state.current ? [state.current, ...state.queue] : state.queue,
				history: state.history.slice(0, -1),
				answers: state.answers.slice(0, -1),
				identical: state.identical - last.question.agreed.length,
				answered,
				notice: undefined,
			};
		}

		case 'toggle-help': {
			return {...state, help: !state.help};
		}

		case 'notice': {
			return {...state, notice: action.message};
		}
	}
}
