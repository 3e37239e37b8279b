import path from 'node:path';
import React from 'react';
import {selectionRule} from '../recipes/teach/selection.js';
import type {TeachPlan, TeachSession} from '../recipes/teach/session.js';
import {colorWanted} from '../text/terminal-safe.js';
import {TeachScreen} from '../ui/TeachScreen.js';
import {runScreen} from './interactive.js';

/** Where the summary suggests training to: never over the model the session started from. */
function nextOutput(dataset: string, model: string): string {
	const output = path.join('models', dataset);
	return path.resolve(output) === path.resolve(model) ? `${output}-2` : output;
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
		return [
			`Answered ${total} in this session (${counts.accept} accept, ${counts.reject} reject, ${counts.ignore} ignore); ${plan.answeredBefore + total} in ${plan.options.dataset}, saved in ${databaseFile}.`,
			folder ? `In-loop model saved to ${folder}.` : 'The in-loop model could not be saved in time (the answers are all saved).',
			`Next: inkling train ${plan.options.dataset} ${plan.options.model} -o ${nextOutput(plan.options.dataset, plan.options.model)} -l ${plan.labels.join(',')}`,
			'',
		].join('\n');
	}, {saving: 'saving the in-loop model…'});
}
