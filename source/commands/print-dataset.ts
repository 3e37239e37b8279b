import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string};

export const printDataset: CommandModule<GlobalArgs, Args> = {
	command: ['print-dataset <dataset>', 'ner.print-dataset'],
	describe: 'Print a dataset\'s answers with their spans highlighted',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to print'})
		.example('$0 print-dataset job_titles', 'Look over the answers'),
	handler() {
		notBuilt('print-dataset', 5);
	},
};
