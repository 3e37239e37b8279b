import type {CommandModule} from 'yargs';
import {importFile} from '../recipes/db.js';
import {inputFormats, type InputFormat} from '../store/formats.js';
import {answers, type Answer} from '../task/task.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {plural, withDatabase, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {
	dataset: string;
	file: string;
	format?: InputFormat;
	answer?: Answer;
	'skip-invalid': boolean;
	binary?: boolean;
	gold?: boolean;
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
		.option('binary', {type: 'boolean', describe: 'Every example is a yes/no answer about its spans (as ner.teach saves), whatever its shape'})
		.option('gold', {type: 'boolean', describe: 'Every example is a complete annotation: its spans and no others'})
		.conflicts('binary', 'gold')
		.example('$0 db-in news ./annotated.jsonl', 'Import Prodigy annotations')
		.example('$0 db-in gold ./train.conll --answer accept', 'Import a CoNLL file as accepted gold examples')
		.example('$0 db-in jobs_teach ./prodigy-teach-export.jsonl', 'Import Prodigy ner.teach answers: recognised as yes/no answers by their shape'),
	async handler(argv) {
		const result = await withDatabase(argv, async database => importFile(database, argv.dataset, argv.file, {
			format: argv.format, answer: argv.answer, skipInvalid: argv['skip-invalid'], ...(argv.binary ? {kind: 'binary'} : (argv.gold ? {kind: 'gold'} : {})),
		}));
		const skipped = result.skipped.length > 0 ? `; skipped ${plural(result.skipped.length, 'bad line')} (first: line ${result.skipped[0]!.line}: ${result.skipped[0]!.problem})` : '';
		const {binary, gold} = result.kinds;
		console.log(terminalSafe(`Imported ${plural(result.imported, 'example')} (${result.format}) into "${result.dataset}", session ${result.session}: ${plural(binary, 'yes/no answer')} about single spans, ${plural(gold, 'gold example')} (complete annotations)${skipped}`));
		if (binary > 0 && argv.binary === undefined) {
			console.log('Yes/no answers train and score as such (a reject says one span is wrong, nothing about the rest). If these are complete annotations, import them with --gold.');
		}
	},
};
