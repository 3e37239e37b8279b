import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {datasets: string; model: string};

export const trainCurve: CommandModule<GlobalArgs, Args> = {
	command: ['train-curve <datasets> <model>', 'ner.train-curve'],
	describe: 'Train on 25/50/75/100% of the data to see whether more data helps',
	builder: yargs => yargs
		.positional('datasets', {type: 'string', demandOption: true, describe: 'Datasets or JSONL files, comma-separated'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Base model folder, or "blank"'})
		.option('n-samples', {type: 'number', describe: 'Number of points on the curve'})
		.example('$0 train-curve job_titles blank -es 0.2', 'Draw the training curve'),
	handler() {
		notBuilt('train-curve', 3);
	},
};
