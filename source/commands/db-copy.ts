import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {databasePath} from '../store/paths.js';
import {openStore} from '../store/store.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {
	list, plural, warn, type GlobalArgs,
} from './shared.js';

type Args = GlobalArgs & {from: string; to: string; dataset?: string};

export const dbCopy: CommandModule<GlobalArgs, Args> = {
	command: 'db-copy <from> <to>',
	describe: 'Copy datasets, with their sessions and answers as they are, from one database to another (a JSON file or a PostgreSQL server)',
	builder: yargs => yargs
		.positional('from', {type: 'string', demandOption: true, describe: 'The database to copy from: a JSON file, or postgres://USER@HOST:5432/DATABASE'})
		.positional('to', {type: 'string', demandOption: true, describe: 'The database to copy into (its datasets of the same names must not exist)'})
		.option('dataset', {type: 'string', describe: 'Only these datasets, comma-separated (default: all)'})
		.example('$0 db-copy ~/.inkling/inkling.json postgres://annotator@db.lab:5432/annotations', 'Move a team from the JSON file to a server')
		.example('$0 db-copy postgres://annotator@db.lab/annotations backup.json', 'A JSON copy of the server\'s datasets'),
	async handler(argv) {
		const from = databasePath(argv.from);
		const to = databasePath(argv.to);
		if (from === to) {
			throw new UserError(`db-copy: ${argv.from} is both the source and the target.`);
		}

		const source = await openStore(from, {onWarning: warn});
		try {
			const all = await source.datasets();
			const chosen = argv.dataset === undefined ? all : list(argv.dataset);
			const missing = chosen.find(name => !all.includes(name));
			if (missing !== undefined) {
				throw new UserError(`--dataset ${missing}: there is no such dataset in ${source.location}. It has: ${all.join(', ') || 'none'}.`);
			}

			const target = await openStore(to, {onWarning: warn});
			try {
				const existing = new Set(await target.datasets());
				const clash = chosen.find(name => existing.has(name));
				if (clash !== undefined) {
					throw new UserError(`${target.location} already has a dataset "${clash}": nothing was copied. Drop it there first, or copy the others with --dataset.`);
				}

				let examples = 0;
				for (const name of chosen) {
					/* eslint-disable no-await-in-loop */
					const info = await source.dataset(name);
					const stored = await source.examples(name);
					await target.importDataset(name, info!, await source.sessions(name), stored);
					/* eslint-enable no-await-in-loop */
					examples += stored.length;
					console.log(terminalSafe(`${name}: ${plural(stored.length, 'example')}`));
				}

				console.log(terminalSafe(`Copied ${plural(chosen.length, 'dataset')} (${plural(examples, 'example')}) from ${source.location} to ${target.location}.`));
			} finally {
				await target.close();
			}
		} finally {
			await source.close();
		}
	},
};
