import {randomInt} from 'node:crypto';
import React from 'react';
import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {backendNames} from '../model/backend.js';
import {planAbEval, splitPositionals} from '../recipes/eval-ab/plan.js';
import {AbSession} from '../recipes/eval-ab/session.js';
import {datasetVerdict, summaryJson, summaryText} from '../recipes/eval-ab/summary.js';
import {colorWanted} from '../text/terminal-safe.js';
import {AbScreen} from '../ui/AbScreen.js';
import {screenCommand} from '../screens.js';
import {runScreen} from './interactive.js';
import {
	list, warn, withDatabase, type GlobalArgs, prepareModels, openDatabase, startOrClose,
} from './shared.js';

type Args = GlobalArgs & {
	dataset: string;
	models?: string[];
	label?: string;
	summary: boolean;
	json: boolean;
	backend?: string;
	seed?: number;
};

export const evalAb: CommandModule<GlobalArgs, Args> = {
	command: screenCommand('eval-ab', '<dataset> [models..]'),
	describe: 'Compare two or more models blind, side by side, with a verdict and its p-value',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to (one of its own)'})
		.positional('models', {
			type: 'string', array: true, describe: 'Two or more model folders, then the source file (JSONL of {"text": ...} lines, or text with one a line)',
		})
		.option('label', {alias: 'l', type: 'string', describe: 'Label(s) to compare, comma-separated (default: all the models know)'})
		.option('summary', {type: 'boolean', default: false, describe: 'Print the verdict of the dataset\'s answers and exit (no terminal needed)'})
		.option('json', {type: 'boolean', default: false, describe: 'With --summary: print it as JSON'})
		.option('backend', {choices: backendNames, describe: 'TensorFlow.js backend (default: the fastest that loads)'})
		.option('seed', {type: 'number', describe: 'Seed of the random sides (default: a new one each run)'})
		.example('$0 eval-ab job_title_eval models/job_titles models/job_titles_1 more-ads.jsonl -l JOB_TITLE', 'Which model is better?')
		.example('$0 eval-ab ab models/a models/b models/c ads.jsonl', 'Three models, asked in pairs, ranked')
		.example('$0 eval-ab job_title_eval --summary --json', 'The verdict so far, for a script')
		.epilog('Each sentence is labelled by two of the models (pairs take turns); sentences where both give the same spans are skipped and counted. Which model shows as option 1 is random for each question and never shown. Keys: 1 or ← for option 1, 2 or → for option 2, = no difference, space skip, u or backspace undo, q quit. Every answer is saved when its key is pressed, with the winning model, both outputs and the side mapping; running the same command again resumes. With a gold dataset, `inkling eval GOLD MODEL_A --compare MODEL_B` is the cheaper test.'),
	async handler(argv) {
		if (argv.summary) {
			const summary = await withDatabase(argv, async database => datasetVerdict(database, argv.dataset));
			console.log(argv.json ? JSON.stringify(summaryJson(summary), null, 2) : summaryText(summary));
			return;
		}

		if (argv.json) {
			throw new UserError('--json goes with --summary: `inkling eval-ab DATASET --summary --json`.');
		}

		if (!process.stdin.isTTY || !process.stdout.isTTY) {
			throw new UserError('eval-ab needs a terminal (standard input and output are not one). Run it in a terminal or over ssh -t; `inkling eval-ab DATASET --summary` prints the verdict without one, and `inkling eval GOLD MODEL_A --compare MODEL_B` compares models on a gold set.');
		}

		const {models, source} = splitPositionals(argv.models ?? []);
		if (source === undefined) {
			throw new UserError('eval-ab needs a source file after the model folders: inkling eval-ab DATASET MODEL_A MODEL_B SOURCE -l LABEL.');
		}

		await prepareModels(...models);

		const database = await openDatabase(argv, {flush: 'soon'});
		const plan = await startOrClose(database, async () => planAbEval(database, {
			dataset: argv.dataset,
			models,
			source,
			labels: list(argv.label),
			...(argv.backend === undefined ? {} : {backend: argv.backend}),
			seed: argv.seed ?? randomInt(2 ** 31),
		}));

		const session = await startOrClose(database, async () => AbSession.start(database, plan));
		await runScreen(onQuit => React.createElement(AbScreen, {
			channel: session,
			dataset: plan.options.dataset,
			models: plan.models,
			labels: plan.labels,
			earlier: plan.earlier,
			identicalBefore: plan.identicalBefore,
			hasColor: colorWanted(),
			onQuit,
		}), async () => {
			const summary = await session.close();
			return `Answered ${session.answered} in this session, saved in ${database.location}.\n\n${summaryText(summary)}\n`;
		});
	},
};
