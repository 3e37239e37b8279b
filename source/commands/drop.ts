import type {CommandModule} from 'yargs';
import {withDatabase, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {name: string};

export const drop: CommandModule<GlobalArgs, Args> = {
	command: 'drop <name>',
	describe: 'Remove a dataset (with its sessions) or one session',
	builder: yargs => yargs
		.positional('name', {type: 'string', demandOption: true, describe: 'Dataset name or session id (see `stats --list-sessions`)'})
		.example('$0 drop news', 'Remove the dataset "news"')
		.example('$0 drop news-2026-11-23_14-02-11', 'Remove one session\'s answers'),
	async handler(argv) {
		const result = await withDatabase(argv, async database => database.drop(argv.name));
		console.log(`Dropped ${result.kind} "${argv.name}" and its ${result.examples} examples`);
	},
};
