import {reserveLimit, type ModelStatus, type Question} from '../recipes/teach/types.js';
import type {Answer} from '../task/task.js';

/** An answer given in this session, still editable while it is among the last `editable`. */
export type Decision = {readonly question: Question; readonly answer: Answer};

/** How many of the latest decisions can be undone. */
export const editable = 10;

export type TeachState = {
	/** The question on screen. */
	readonly current: Question | undefined;
	/** Questions waiting, next first. */
	readonly queue: readonly Question[];
	/** Questions asked only when the queue is empty, next first: the best proposals the windows did not ask, as scored when read (at most `reserveLimit`, the latest kept). */
	readonly reserve: readonly Question[];
	/** The latest decisions, oldest first (at most `editable`). */
	readonly history: readonly Decision[];
	readonly counts: Readonly<Record<Answer, number>>;
	/** Questions answered in this session, so a rescored queue never brings one back. */
	readonly answered: ReadonlySet<number>;
	readonly backend: string | undefined;
	readonly labels: readonly string[];
	readonly status: ModelStatus | undefined;
	/** The worker has read the whole source. */
	readonly exhausted: boolean;
	readonly help: boolean;
	/** A one-line notice (nothing to undo, an error from the model). */
	readonly notice: string | undefined;
};

export type TeachAction
	= | {type: 'ready'; backend: string; labels: readonly string[]}
		| {type: 'questions'; questions: readonly Question[]; replace: boolean; reserve?: readonly Question[]}
		| {type: 'status'; status: ModelStatus}
		| {type: 'exhausted'}
		| {type: 'answer'; answer: Answer}
		| {type: 'undo'}
		| {type: 'toggle-help'}
		| {type: 'notice'; message: string | undefined};

export const initialTeachState: TeachState = {
	current: undefined,
	queue: [],
	reserve: [],
	history: [],
	counts: {accept: 0, reject: 0, ignore: 0},
	answered: new Set(),
	backend: undefined,
	labels: [],
	status: undefined,
	exhausted: false,
	help: false,
	notice: undefined,
};

/** The next question on screen from a queue, or from the reserve when the queue is empty. */
function advance(state: TeachState, queue: readonly Question[]): TeachState {
	if (queue.length === 0 && state.reserve.length > 0) {
		const [current, ...reserve] = state.reserve;
		return {
			...state, current, queue, reserve,
		};
	}

	const [current, ...rest] = queue;
	return {...state, current, queue: rest};
}

/** The teach screen's state changes; pure, so it is tested without a terminal. */
export function teachReducer(state: TeachState, action: TeachAction): TeachState {
	switch (action.type) {
		case 'ready': {
			return {...state, backend: action.backend, labels: action.labels};
		}

		case 'questions': {
			const isNew = (question: Question) => !state.answered.has(question.id) && question.id !== state.current?.id;
			const fresh = action.questions.filter(question => isNew(question));
			if (action.replace) {
				// A rescored queue: the question on screen stays, with its new score if it has one.
				// The reserve is kept as it was scored: it is what a fast person answers while the model updates.
				const current = state.current && action.questions.find(question => question.id === state.current!.id);
				const next = {...state, current: current ?? state.current, queue: fresh};
				return next.current ? next : advance(next, fresh);
			}

			const known = new Set(state.queue.map(question => question.id));
			const queue = [...state.queue, ...fresh.filter(question => !known.has(question.id))];
			const reserve = action.reserve && action.reserve.length > 0
				? [...state.reserve, ...action.reserve.filter(question => isNew(question))].slice(-reserveLimit)
				: state.reserve;
			return state.current ? {...state, queue, reserve} : advance({...state, reserve}, queue);
		}

		case 'status': {
			return {...state, status: action.status};
		}

		case 'exhausted': {
			return {...state, exhausted: true};
		}

		case 'answer': {
			if (!state.current) {
				return state;
			}

			const answered = new Set(state.answered);
			answered.add(state.current.id);
			return advance({
				...state,
				history: [...state.history, {question: state.current, answer: action.answer}].slice(-editable),
				counts: {...state.counts, [action.answer]: state.counts[action.answer] + 1},
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
				counts: {...state.counts, [last.answer]: state.counts[last.answer] - 1},
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

/** Whether two states draw the same screen: everything but the queue and the answered set is shown. */
export function sameOnScreen(a: TeachState, b: TeachState): boolean {
	return a.current === b.current && a.history === b.history && a.counts === b.counts && a.backend === b.backend && a.labels === b.labels
		&& a.status === b.status && a.exhausted === b.exhausted && a.help === b.help && a.notice === b.notice;
}
