import type {CommandModule} from 'yargs';
import {recoverDatabase} from '../store/database.js';
import {databasePath} from '../store/paths.js';
import type {GlobalArgs} from './shared.js';

export const dbRecover: CommandModule<GlobalArgs, GlobalArgs> = {
	command: 'db-recover',
	describe: 'Rebuild a damaged database from its journal, keeping every readable line',
	builder: yargs => yargs
		.example('$0 db-recover --db ./team.json', 'Rebuild ./team.json from ./team.json.journal'),
	async handler(argv) {
		const file = databasePath(argv.db);
		const result = await recoverDatabase(file);
		const damaged = result.badLines.filter(line => !line.truncated);
		const truncated = result.badLines.length - damaged.length;
		console.log([
			`Rebuilt ${file}: ${result.examples} examples.`,
			result.damagedDocument ? `The damaged database file was kept as ${file}.damaged.` : '',
			damaged.length > 0 ? `${damaged.length} damaged journal lines (${damaged.map(line => line.line).slice(0, 10).join(', ')}) were copied to ${file}.journal.bad and skipped.` : '',
			truncated > 0 ? `${truncated} lines cut short by a crash were dropped.` : '',
		].filter(Boolean).join('\n'));
	},
};
