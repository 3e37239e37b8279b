import fs from 'node:fs';
import path from 'node:path';
import type {CommandModule} from 'yargs';
import {backendNames} from '../model/backend.js';
import {modelLabels, resolveModelFolder} from '../model/folder.js';
import {screenCommand} from '../screens.js';
import {
	editOptions, planEdit, runEdit, type EditArgs,
} from './manual.js';
import {
	list, requireTerminal, warn, type GlobalArgs, prepareModels, openDatabase, startOrClose,
} from './shared.js';

type Args = EditArgs & {model: string; update?: boolean; backend?: string; output?: string; 'fresh-model'?: boolean};

/** Labels to annotate: the ones asked for, spelled as the model spells them, or the model's own. */
export function correctLabels(asked: readonly string[], known: readonly string[]): string[] {
	return asked.length === 0 ? [...known] : asked.map(label => known.find(item => item.toLowerCase() === label.toLowerCase()) ?? label);
}

export const correct: CommandModule<GlobalArgs, Args> = {
	command: screenCommand('correct', '<dataset> <model> <source>'),
	describe: 'Correct a model\'s predictions by keyboard to make a gold set',
	builder: yargs => editOptions(yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save answers to'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of {"text": ...} lines, or a text file with one text a line'}))
		.option('update', {type: 'boolean', describe: 'Update the model on each accepted example as you go (in a worker thread); saved when the session ends'})
		.option('output', {alias: 'o', type: 'string', describe: 'Folder for the updated model with --update (default: <database>.correct/<dataset> beside the database)'})
		.option('fresh-model', {type: 'boolean', describe: 'With --update, start from <model> even if an updated model of this dataset was saved'})
		.option('backend', {choices: backendNames, describe: 'TensorFlow.js backend (default: the fastest that loads)'})
		.example('$0 correct jobs_gold models/job_titles data/job-ads.jsonl -l JOB_TITLE', 'Correct the model\'s job titles into a gold set')
		.example('$0 ner.make-gold news_gold models/news news.jsonl --update', 'Correct, and let the model learn from each accepted example')
		.epilog('The screen and keys are manual\'s (see `inkling manual --help`); each example starts with the model\'s spans.'),
	async handler(argv) {
		requireTerminal('correct', 'to see a model\'s spans from a script use `inkling print-stream`.');
		const folder = resolveModelFolder(argv.model);
		const known = modelLabels(argv.model);
		const labels = correctLabels(list(argv.label), known);
		const unknown = labels.filter(label => !known.includes(label));
		if (unknown.length > 0) {
			warn(`${argv.model} does not predict ${unknown.join(', ')} (it knows ${known.join(', ')}): add those spans by hand${argv.update ? '; the model learns them from what you accept' : ' (--update lets the model learn them)'}`);
		}

		await prepareModels(argv.model);
		const database = await openDatabase(argv, {flush: 'soon'});
		const plan = await startOrClose(database, async () => planEdit(database, {...argv, label: labels.join(',')}, 'correct', 'ner_manual'));

		const output = path.resolve(argv.output ?? path.join(`${database.localBase}.correct`, argv.dataset));
		// With --update, a restart goes on with the model the last session saved (as teach does).
		const resumed = argv.update && !argv['fresh-model'] && fs.existsSync(path.join(output, 'model.json')) && labels.every(label => modelLabels(output).includes(label));
		if (resumed) {
			warn(`continuing the updated model saved in ${output} (--fresh-model starts from ${argv.model})`);
		}

		plan.model = {
			model: resumed ? output : folder,
			labels,
			update: argv.update ?? false,
			...(argv.backend === undefined ? {} : {backend: argv.backend}),
			...(argv.update ? {output} : {}),
		};
		await runEdit(database, plan, argv, saved => {
			if (!argv.update) {
				return '';
			}

			return saved ? `Updated model saved to ${saved}.\n` : 'The updated model could not be saved in time (the answers are all saved).\n';
		});
	},
};
