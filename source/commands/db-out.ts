import fs from 'node:fs';
import type {CommandModule} from 'yargs';
import {exportDataset} from '../recipes/db.js';
import {outputFormats, type OutputFormat} from '../store/formats.js';
import {answers as allAnswers, type Answer} from '../task/task.js';
import {UserError} from '../errors.js';
import {
	list, warn, withDatabase, type GlobalArgs,
} from './shared.js';

type Args = GlobalArgs & {
	dataset: string;
	file?: string;
	format: OutputFormat;
	answer?: string;
};

export const dbOut: CommandModule<GlobalArgs, Args> = {
	command: 'db-out <dataset> [file]',
	describe: 'Export a dataset to a file or standard output',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to export'})
		.positional('file', {type: 'string', describe: 'Output file (else standard output)'})
		.option('format', {
			type: 'string', choices: outputFormats, default: 'jsonl', describe: 'Prodigy JSONL, CoNLL BIO, or spaCy [text, {"entities"}] lines',
		})
		.option('answer', {type: 'string', describe: 'Only these answers, comma-separated (default: all for jsonl, accept for conll and spacy)'})
		.example('$0 db-out news > news.jsonl', 'Export as Prodigy JSONL')
		.example('$0 db-out news news.conll --format conll', 'Export accepted examples as CoNLL BIO') as never,
	async handler(argv) {
		const chosen = argv.answer === undefined ? undefined : list(argv.answer);
		const unknown = chosen?.find(answer => !allAnswers.includes(answer as Answer));
		if (unknown) {
			throw new UserError(`--answer: "${unknown}" is not an answer; use accept, reject or ignore.`);
		}

		const result = await withDatabase(argv, async database => exportDataset(database, argv.dataset, {format: argv.format, answers: chosen as Answer[] | undefined}));
		if (argv.file) {
			fs.writeFileSync(argv.file, result.text);
			console.log(`Exported ${result.exported} examples of "${argv.dataset}" to ${argv.file} (${argv.format})`);
		} else {
			process.stdout.write(result.text);
		}

		if (result.leftOut > 0) {
			warn(`left out ${result.leftOut} examples whose answer is not ${chosen?.join('/') ?? (argv.format === 'jsonl' ? 'any' : 'accept')}`);
		}

		if (result.dropped > 0) {
			warn(`${result.dropped} overlapping spans cannot be written as ${argv.format} and were left out`);
		}
	},
};
