import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {datasets: string; model: string; label?: string; output?: string};

export const train: CommandModule<GlobalArgs, Args> = {
	command: ['train <datasets> <model>', 'ner.batch-train'],
	describe: 'Train a model from datasets of gold and yes/no answers',
	builder: yargs => yargs
		.positional('datasets', {type: 'string', demandOption: true, describe: 'Datasets or JSONL files, comma-separated'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Base model folder, or "blank"'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels, comma-separated'})
		.option('output', {alias: 'o', type: 'string', describe: 'Folder to save the model to'})
		.option('eval-split', {alias: 'es', type: 'number', describe: 'Share of inputs held out for evaluation'})
		.option('eval-id', {alias: 'e', type: 'string', describe: 'Gold dataset or file to evaluate on'})
		.option('n-iter', {alias: 'n', type: 'number', describe: 'Epochs'})
		.example('$0 train job_titles blank -o models/job_titles -es 0.2', 'Train a first model'),
	handler() {
		notBuilt('train', 3);
	},
};
