import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {databasePath, isServerUrl} from '../store/paths.js';
import {terminalSafe} from '../text/terminal-safe.js';
import type {GlobalArgs} from './shared.js';

export const dbMigrate: CommandModule<GlobalArgs, GlobalArgs> = {
	command: 'db-migrate',
	describe: 'Create or upgrade inkling\'s tables on a PostgreSQL server (schema "inkling")',
	builder: yargs => yargs
		.example('$0 db-migrate --db postgres://annotator@db.lab:5432/annotations', 'Create inkling\'s tables, or upgrade them after an inkling upgrade')
		.epilog('An empty database gets its tables from the first command that opens it; db-migrate is needed to add them to a database that holds another program\'s tables, and to upgrade them. Each step runs in one transaction.'),
	async handler(argv) {
		const location = databasePath(argv.db);
		if (!isServerUrl(location)) {
			throw new UserError(`${location} is a JSON file, which needs no migration: db-migrate is for a PostgreSQL server (--db postgres://USER@HOST:5432/DATABASE).`);
		}

		const {migrateServer} = await import('../store/postgres.js');
		const result = await migrateServer(location);
		console.log(terminalSafe(result.applied.length === 0
			? `${result.location}: inkling's tables are at schema ${result.version} already; nothing to do.`
			: `${result.location}: ${result.from === undefined ? 'created inkling\'s tables' : `upgraded inkling's tables from schema ${result.from}`} to schema ${result.version}.`));
	},
};
