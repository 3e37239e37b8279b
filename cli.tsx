import process from 'node:process';
import yargs from 'yargs';
import {hideBin} from 'yargs/helpers';
import {commandsFor} from './source/commands/index.js';
import {UserError} from './source/errors.js';

/** Run the inkling CLI on an argument list. Mistakes the person can fix print one message and set exit code 1, without a stack trace. */
export async function main(argv: string[]): Promise<void> {
	const cli = yargs(argv)
		.scriptName('inkling')
		.usage('inkling: annotate named entities from the keyboard, with a model in the loop\n\nUsage: $0 <command> [options]')
		.parserConfiguration({'short-option-groups': false})
		.option('db', {type: 'string', describe: 'Database file (else $INKLING_DB, else ~/.inkling/inkling.json)', global: true})
		.command(await commandsFor(argv))
		.demandCommand(1, 'Name a command: `inkling --help` lists them.')
		.recommendCommands()
		.strict()
		.help()
		.alias('h', 'help')
		.version()
		.wrap(Math.min(100, process.stdout.columns || 100))
		.fail((message, error) => {
			if (error) {
				throw error; // Handled below, once
			}

			process.stderr.write(`inkling: ${message}\nRun \`inkling --help\` (or \`inkling <command> --help\`) for usage.\n`);
			process.exitCode = 1;
		});

	try {
		await cli.parseAsync();
	} catch (error) {
		if (error instanceof UserError) {
			process.stderr.write(`inkling: ${error.message}\n`);
			process.exitCode = 1;
			return;
		}

		throw error;
	}
}

// A reader that stops early (`inkling db-out news | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(0);
	}

	throw error;
});

await main(hideBin(process.argv));
