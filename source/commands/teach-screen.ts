import path from 'node:path';
import React from 'react';
import {selectionRule} from '../recipes/teach/selection.js';
import type {TeachPlan, TeachSession} from '../recipes/teach/session.js';
import {colorWanted, terminalSafe} from '../text/terminal-safe.js';
import {TeachScreen} from '../ui/TeachScreen.js';
import {runScreen} from './interactive.js';

/** Where the summary suggests training to: never over the model the session started from. */
function nextOutput(dataset: string, model: string): string {
	const output = path.join('models', dataset);
	return path.resolve(output) === path.resolve(model) ? `${output}-2` : output;
}

/**
 * What to run after teach: train from the same model, judged on a gold set.
 * Without one, train cannot say whether the new model is better, so the
 * command that makes one is given too; a dataset the session left out with
 * -e is taken to be that gold set, as the README's workflow keeps it.
 */
export function nextSteps(options: {dataset: string; model: string; source: string; exclude: readonly string[]}, labels: readonly string[]): string[] {
	const train = `inkling train ${options.dataset} ${options.model} -o ${nextOutput(options.dataset, options.model)} -l ${labels.join(',')}`;
	if (options.exclude.length > 0) {
		return [`Next: ${train} -e ${options.exclude.join(',')}`];
	}

	return [
		`Next: ${train} -e ${options.dataset}_gold`,
		`(${options.dataset}_gold: gold sentences the model never learns from, which tell whether the new model is better; make them with \`inkling correct ${options.dataset}_gold ${options.model} ${options.source} -l ${labels.join(',')} -e ${options.dataset}\`.)`,
	];
}

/** The teach screen of a started session, until the person quits; then the session is closed and its summary printed. */
export async function runTeachScreen(session: TeachSession, plan: TeachPlan, databaseFile: string): Promise<void> {
	await runScreen(onQuit => React.createElement(TeachScreen, {
		channel: session,
		dataset: plan.options.dataset,
		answeredBefore: plan.answeredBefore,
		rule: selectionRule,
		hasColor: colorWanted(),
		onQuit,
	}), async () => {
		const folder = await session.close();
		const counts = session.counts();
		const total = counts.accept + counts.reject + counts.ignore;
		// Names and paths from the command line reach the terminal escaped, like the data.
		return terminalSafe([
			`Answered ${total} in this session (${counts.accept} accept, ${counts.reject} reject, ${counts.ignore} ignore); ${plan.answeredBefore + total} in ${plan.options.dataset}, saved in ${databaseFile}.`,
			folder ? `In-loop model saved to ${folder}.` : 'The in-loop model could not be saved in time (the answers are all saved).',
			...nextSteps(plan.options, plan.labels),
			'',
		].join('\n'));
	}, {saving: 'saving the in-loop model…'});
}
