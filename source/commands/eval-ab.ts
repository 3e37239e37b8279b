import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; models: string[]};

export const evalAb: CommandModule<GlobalArgs, Args> = {
	command: ['eval-ab <dataset> <models..>', 'ner.eval-ab'],
	describe: 'Compare two models blind, side by side, with a verdict and its p-value',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('models', {
			type: 'string', array: true, demandOption: true, describe: 'Model folders, then the source file',
		})
		.option('label', {alias: 'l', type: 'string', describe: 'Label(s) to compare'})
		.option('summary', {type: 'boolean', default: false, describe: 'Print the verdict of the answers so far'})
		.example('$0 eval-ab job_title_eval models/job_titles models/job_titles_1 more-ads.jsonl -l JOB_TITLE', 'Which model is better?'),
	handler() {
		notBuilt('eval-ab', 6);
	},
};
