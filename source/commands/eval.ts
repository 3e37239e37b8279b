import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; model: string};

export const evaluate: CommandModule<GlobalArgs, Args> = {
	command: 'eval <dataset> <model>',
	describe: 'Score a model on a gold dataset or file: precision, recall and F1 per label',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Gold dataset or JSONL file'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder'})
		.option('json', {type: 'boolean', default: false, describe: 'Print JSON'})
		.option('compare', {type: 'string', describe: 'More models to score side by side, comma-separated'})
		.example('$0 eval job_titles_gold models/job_titles', 'Score a model on a gold set'),
	handler() {
		notBuilt('eval', 3);
	},
};
