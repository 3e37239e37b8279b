import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; model: string; source: string; label?: string};

export const correct: CommandModule<GlobalArgs, Args> = {
	command: ['correct <dataset> <model> <source>', 'ner.correct', 'ner.make-gold'],
	describe: 'Correct a model\'s predictions by keyboard to make a gold set',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of texts'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels, comma-separated'})
		.example('$0 correct job_titles models/job_titles data/job-ads.jsonl -l JOB_TITLE', 'Correct the model\'s job titles'),
	handler() {
		notBuilt('correct', 5);
	},
};
