import fs from 'node:fs';
import type {CommandModule} from 'yargs';
import {recoverDatabase} from '../store/database.js';
import {UserError} from '../errors.js';
import {databasePath, isServerUrl} from '../store/paths.js';
import {redactUrl} from '../store/postgres-schema.js';
import type {GlobalArgs} from './shared.js';

export const dbRecover: CommandModule<GlobalArgs, GlobalArgs> = {
	command: 'db-recover',
	describe: 'Rebuild a damaged database from its journal, keeping every readable line',
	builder: yargs => yargs
		.example('$0 db-recover --db ./team.json', 'Rebuild ./team.json from ./team.json.journal'),
	async handler(argv) {
		const file = databasePath(argv.db);
		if (isServerUrl(file)) {
			throw new UserError(`db-recover rebuilds a JSON database from its journal; ${redactUrl(file)} is a PostgreSQL server, which keeps its own (answers waiting on this machine are sent the next time inkling opens it).`);
		}

		if (!fs.existsSync(file) && !fs.existsSync(`${file}.journal`)) {
			throw new UserError(`${file}: no database here (nor its journal), so nothing to recover. Give the database with --db FILE.`);
		}

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
