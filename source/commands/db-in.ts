import type {CommandModule} from 'yargs';
import {importFile} from '../recipes/db.js';
import {inputFormats, type InputFormat} from '../store/formats.js';
import {answers, type Answer} from '../store/task.js';
import {withDatabase, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {
	dataset: string;
	file: string;
	format?: InputFormat;
	answer?: Answer;
	'skip-invalid': boolean;
};

export const dbIn: CommandModule<GlobalArgs, Args> = {
	command: 'db-in <dataset> <file>',
	describe: 'Import annotations from a file into a dataset',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to add to (created if new)'})
		.positional('file', {type: 'string', demandOption: true, describe: 'Prodigy JSONL, {"text","spans"} JSONL, doccano JSONL, a JSON list, or CoNLL/BIO'})
		.option('format', {type: 'string', choices: inputFormats, describe: 'Input format (else from the extension and content)'})
		.option('answer', {type: 'string', choices: answers, describe: 'Answer to set on examples that have none'})
		.option('skip-invalid', {type: 'boolean', default: false, describe: 'Skip bad lines and count them, instead of importing nothing'})
		.example('$0 db-in news ./annotated.jsonl', 'Import Prodigy annotations')
		.example('$0 db-in gold ./train.conll --answer accept', 'Import a CoNLL file as accepted gold examples'),
	async handler(argv) {
		const result = await withDatabase(argv, database => importFile(database, argv.dataset, argv.file, {
			format: argv.format, answer: argv.answer, skipInvalid: argv['skip-invalid'],
		}));
		const skipped = result.skipped.length > 0 ? `; skipped ${result.skipped.length} bad lines (first: line ${result.skipped[0]!.line}: ${result.skipped[0]!.problem})` : '';
		console.log(`Imported ${result.imported} examples (${result.format}) into "${result.dataset}", session ${result.session}${skipped}`);
	},
};
