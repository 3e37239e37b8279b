import type {CommandModule} from 'yargs';
import {notBuilt, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {model: string; source: string};

export const printStream: CommandModule<GlobalArgs, Args> = {
	command: ['print-stream <model> <source>', 'ner.print-stream'],
	describe: 'Print a model\'s entities over a source',
	builder: yargs => yargs
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of texts'})
		.example('$0 print-stream models/job_titles ads.jsonl', 'See what the model finds'),
	handler() {
		notBuilt('print-stream', 3);
	},
};
