import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; source: string; label?: string};

export const manual: CommandModule<GlobalArgs, Args> = {
	command: ['manual <dataset> <source>', 'ner.manual'],
	describe: 'Mark entity spans by keyboard to make a gold set',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of texts'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels, comma-separated, or a file with one label a line'})
		.example('$0 manual job_titles data/job-ads.jsonl -l JOB_TITLE', 'Make a gold set of job titles'),
	handler() {
		notBuilt('manual', 5);
	},
};
