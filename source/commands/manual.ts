import React from 'react';
import type {Argv, CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {
	answeredInputs, editItems, EditSession, readLabels, type EditPlan,
} from '../recipes/manual/session.js';
import {colorWanted} from '../text/terminal-safe.js';
import {EditScreen} from '../ui/EditScreen.js';
import {readSourceTasks} from '../recipes/source.js';
import type {Store} from '../store/store.js';
import {screenCommand} from '../screens.js';
import {runScreen} from './interactive.js';
import {
	list, requireTerminal, warn, type GlobalArgs, openDatabase, startOrClose,
} from './shared.js';

export type EditArgs = GlobalArgs & {
	dataset: string;
	source: string;
	label?: string;
	unsegmented?: boolean;
	'highlight-chars'?: boolean;
	exclude?: string;
	session?: string;
};

/** The flags manual and correct share. */
export function editOptions<T>(yargs: Argv<T>) {
	return yargs
		.option('label', {alias: 'l', type: 'string', describe: 'Labels, comma-separated, or a file with one label a line (keys 1-9 in this order)'})
		.option('unsegmented', {alias: 'U', type: 'boolean', describe: 'Whole texts, not one sentence at a time'})
		.option('highlight-chars', {type: 'boolean', describe: 'Select characters rather than whole tokens'})
		.option('exclude', {alias: 'e', type: 'string', describe: 'Skip inputs answered in these datasets, comma-separated'})
		.option('session', {type: 'string', describe: 'Annotator name: answers are saved under <dataset>-<name>, and the session resumes on that annotator\'s own answers (for review)'});
}

/** Summary lines after a session. */
export function editSummary(session: EditSession, answeredBefore: number, file: string): string {
	const counts = session.counts();
	const total = counts.accept + counts.reject + counts.ignore;
	return `Annotated ${total} in this session (${counts.accept} accept, ${counts.reject} reject, ${counts.ignore} skip); ${answeredBefore + total} in ${session.plan.dataset}, saved in ${file}.\n`;
}

/** Check the flags shared by the edit commands and read what the session needs. */
export async function planEdit(database: Store, argv: EditArgs, recipe: string, viewId: string): Promise<EditPlan> {
	const labels = readLabels(list(argv.label));
	if (labels.length === 0) {
		throw new UserError('No labels: give them with -l, for example -l PERSON,ORG, or a file with one label a line.');
	}

	if (labels.length > 9) {
		warn(`${labels.length} labels: only the first 9 have number keys`);
	}

	if (argv.session !== undefined && !/^[\w.-]+$/u.test(argv.session)) {
		throw new UserError(`--session ${argv.session}: use letters, digits, ".", "_" or "-".`);
	}

	const source = readSourceTasks(argv.source);
	const {skip, count} = await answeredInputs(database, argv.dataset, list(argv.exclude), argv.session);
	return {
		dataset: argv.dataset,
		labels,
		...(argv.session === undefined ? {} : {sessionName: argv.session}),
		viewId,
		recipe,
		items: editItems(source, {unsegmented: argv.unsegmented ?? false, labels, skip}),
		answeredBefore: count,
	};
}

/** Run an edit session on its screen until the person quits. */
export async function runEdit(database: Store, plan: EditPlan, argv: EditArgs, extraSummary: (folder: string | undefined) => string = () => ''): Promise<void> {
	const session = await startOrClose(database, async () => EditSession.start(database, plan));
	await runScreen(onQuit => React.createElement(EditScreen, {
		channel: session,
		recipe: plan.recipe,
		dataset: plan.dataset,
		labels: plan.labels,
		answeredBefore: plan.answeredBefore,
		isCharacters: argv['highlight-chars'] ?? false,
		hasColor: colorWanted(),
		onQuit,
	}), async () => {
		const folder = await session.close();
		return editSummary(session, plan.answeredBefore, database.location) + extraSummary(folder);
	}, plan.model?.update ? {saving: 'saving the updated model…'} : {});
}

export const manual: CommandModule<GlobalArgs, EditArgs> = {
	command: screenCommand('manual', '<dataset> <source>'),
	describe: 'Mark entity spans by keyboard to make a gold set',
	builder: yargs => editOptions(yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of {"text": ...} lines (spans in it are shown to edit), or a text file with one text a line'}))
		.example('$0 manual news_gold news.jsonl -l PERSON,ORG,LOCATION', 'Make a gold set with three labels')
		.example('$0 manual jobs_gold data/job-ads.jsonl -l labels.txt --session alice', 'Labels from a file; answers saved as alice\'s')
		.epilog('Keys: ←/→ or h/l move the token cursor, b/w (or ctrl+←/→) jump words, home/end; shift+←/→ or v then moving selects; 1-9 labels the selection (or the token under the cursor); d or Delete removes the span under the cursor; enter accepts the example, x rejects it, space skips it; u or backspace goes back to the previous one; ? help; q quits. Each answer is saved when its key is pressed; running the same command again resumes.'),
	async handler(argv) {
		requireTerminal('manual', 'to import annotations use `inkling db-in`.');
		const database = await openDatabase(argv, {flush: 'soon'});
		const plan = await startOrClose(database, async () => planEdit(database, argv, 'manual', 'ner_manual'));

		await runEdit(database, plan, argv);
	},
};
