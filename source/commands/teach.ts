import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; model: string; source: string; label?: string; patterns?: string; exclude?: string};

export const teach: CommandModule<GlobalArgs, Args> = {
	command: ['teach <dataset> <model> <source>', 'ner.teach'],
	describe: 'Answer the model\'s most uncertain proposals with one key; the model learns as you go',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder, or "blank"'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of texts'})
		.option('label', {alias: 'l', type: 'string', describe: 'Label(s) to annotate, comma-separated'})
		.option('patterns', {type: 'string', describe: 'Patterns file for a cold start'})
		.option('exclude', {alias: 'e', type: 'string', describe: 'Skip inputs answered in these datasets'})
		.example('$0 teach job_titles_1 models/job_titles ads.jsonl -l JOB_TITLE -e job_titles', 'Teach the job-title model'),
	handler() {
		notBuilt('teach', 4);
	},
};
