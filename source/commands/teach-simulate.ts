import {setTimeout as delay} from 'node:timers/promises';
import {defaultLoopOptions} from '../recipes/teach/loop.js';
import {GoldAnnotator} from '../recipes/teach/simulate.js';
import type {TeachPlan, TeachSession} from '../recipes/teach/session.js';
import type {ModelStatus} from '../recipes/teach/types.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {initialTeachState, teachReducer, type TeachState} from '../ui/teach-reducer.js';

/** The annotator of `--simulate-from`. */
export function readAnnotator(file: string): GoldAnnotator {
	return GoldAnnotator.read(file);
}

export type SimulationResult = {
	answered: number;
	accepted: number;
	rejected: number;
	/** Questions whose sentence the gold data does not have: answered ignore. */
	unknown: number;
	/** The model's last status (updates, live F1 with --eval-id). */
	status: ModelStatus | undefined;
	/** The source ran out before `answers` were given. */
	exhausted: boolean;
	error?: string;
};

/** The loop updates after this many answers (`LoopOptions.updateEvery`). */
const {updateEvery} = defaultLoopOptions;
/** How long a lockstep answer waits for the model at most, in case an update never comes. */
const lockstepLimitMs = 30_000;

/**
 * Teach without a screen: the real session (its worker, selection, reserve
 * and updates) and the screen's own reducer, with answers from gold data
 * instead of keys, one every `paceMs`; with a pace of 0, each waits until
 * the model has learnt from the answers before it (a person slower than
 * the model, without the idle time). For scripts and benchmarks that
 * measure what teach does to a model.
 */
export async function simulateTeach(session: TeachSession, annotator: GoldAnnotator, options: {answers: number; paceMs: number}): Promise<SimulationResult> {
	let state: TeachState = initialTeachState;
	const failure: {message?: string} = {};
	let wake: (() => void) | undefined;
	const nextEvent = async () => new Promise<void>(resolve => {
		wake = resolve;
	});
	/**
	 * Wait (at most `lockstepLimitMs`) until the model has learnt from all
	 * but the last few of `learnable` answers: it updates every few answers,
	 * once they pause.
	 */
	const caughtUp = async (learnable: number) => {
		const waitUntil = performance.now() + lockstepLimitMs;
		while ((state.status?.trained ?? 0) < learnable - (updateEvery - 1) && failure.message === undefined && performance.now() < waitUntil) {
			// eslint-disable-next-line no-await-in-loop -- each status event may be the one
			await Promise.race([nextEvent(), delay(waitUntil - performance.now(), undefined, {ref: false})]);
		}
	};

	const unsubscribe = session.subscribe(event => {
		if (event.type === 'error') {
			failure.message = event.message;
		} else if (event.type === 'store') {
			process.stderr.write(terminalSafe(`inkling: ${event.message}\n`));
		} else {
			state = teachReducer(state, event.type === 'ready' ? {type: 'ready', backend: event.backend, labels: event.labels} : event);
		}

		wake?.();
	});
	const result: SimulationResult = {
		answered: 0, accepted: 0, rejected: 0, unknown: 0, status: undefined, exhausted: false,
	};
	try {
		while (result.answered < options.answers && failure.message === undefined) {
			const question = state.current;
			if (!question) {
				if (state.exhausted) {
					result.exhausted = true;
					break;
				}

				// eslint-disable-next-line no-await-in-loop -- the next question comes when the model sends it
				await nextEvent();
				continue;
			}

			const answer = annotator.answer(question) ?? 'ignore';
			session.answer(question, answer);
			state = teachReducer(state, {type: 'answer', answer});
			result.answered++;
			result.accepted += answer === 'accept' ? 1 : 0;
			result.rejected += answer === 'reject' ? 1 : 0;
			result.unknown += answer === 'ignore' ? 1 : 0;
			// A person's pace, in whose pauses the model learns; or, at 0, a person slower than the model.
			// eslint-disable-next-line no-await-in-loop -- one answer after another
			await (options.paceMs > 0 ? delay(options.paceMs) : caughtUp(result.accepted + result.rejected));
		}
	} finally {
		unsubscribe();
	}

	return {...result, status: state.status, ...(failure.message === undefined ? {} : {error: failure.message})};
}

const percent = (value: number) => (value * 100).toFixed(1);

/** What a simulated session did, in a few lines. */
export function simulationSummary(result: SimulationResult, plan: TeachPlan, folder: string | undefined): string {
	const {status} = result;
	const lines = [
		`Answered ${result.answered} from gold (${result.accepted} accept, ${result.rejected} reject${result.unknown > 0 ? `, ${result.unknown} ignore: their sentences are not in the gold file` : ''})${result.exhausted ? '; the source ran out' : ''}; saved in ${plan.options.dataset}.`,
		`Model updates: ${status?.updates ?? 0}, on ${status?.trained ?? 0} answers.`,
	];
	if (status?.f1 !== undefined && status.startF1 !== undefined) {
		const change = status.f1 - status.startF1;
		lines.push(`Live F1 on --eval-id: ${percent(status.startF1)} at the start, ${percent(status.f1)} now (${change >= 0 ? '+' : ''}${percent(change)})${change < 0 ? ': the in-loop model is WORSE than where it started' : ''}.`);
	}

	if (result.error) {
		lines.push(`The model stopped with an error: ${result.error}`);
	}

	lines.push(folder ? `In-loop model saved to ${folder}.` : 'The in-loop model could not be saved in time (the answers are all saved).');
	return terminalSafe(lines.join('\n'));
}
