import process from 'node:process';
import yargs from 'yargs';
import {hideBin} from 'yargs/helpers';
import {commandsFor} from './source/commands/index.js';
import {UserError} from './source/errors.js';
import {terminalSafe} from './source/text/terminal-safe.js';

/** Yargs names an unknown `--eval-splt` twice, as `eval-splt, evalSplt`: once is enough. */
function withoutCamelCase(message: string): string {
	const unknown = /^(Unknown arguments?): (.*)$/u.exec(message);
	if (!unknown) {
		return message;
	}

	const names = unknown[2]!.split(', ');
	const kept = names.filter(name => !names.some(other => other !== name && other.includes('-') && other.replaceAll(/-(\w)/gu, (_, letter: string) => letter.toUpperCase()) === name));
	return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

/** A command line yargs cannot parse: an unknown flag or command, a missing argument. */
class UsageError extends Error {
	override name = 'UsageError';
}

/** Run the inkling CLI on an argument list. Mistakes the person can fix print one message and set exit code 1, without a stack trace. */
export async function main(argv: string[]): Promise<void> {
	const cli = yargs(argv)
		.scriptName('inkling')
		.usage('inkling: annotate named entities from the keyboard, with a model in the loop\n\nUsage: $0 <command> [options]')
		.parserConfiguration({'short-option-groups': false})
		.option('db', {type: 'string', describe: 'Database: a JSON file, or a PostgreSQL server as postgres://USER@HOST:5432/DATABASE (else $INKLING_DB, else ~/.inkling/inkling.json)', global: true})
		.command(await commandsFor(argv))
		.example('$0 manual jobs_gold ads.jsonl -l JOB_TITLE', 'Annotate gold data by keyboard')
		.example('$0 train jobs_gold blank -o models/jobs -es 0.2', 'Train a first model, scored on a held-out 20%')
		.example('$0 teach jobs_teach models/jobs ads.jsonl -l JOB_TITLE', 'Answer the model\'s proposals; it learns as you go')
		.example('$0 train jobs_teach models/jobs -o models/jobs_2 -e jobs_gold', 'Train on the answers; a verdict against the base model')
		.example('$0 eval-ab jobs_ab models/jobs models/jobs_2/model-best more-ads.jsonl', 'Compare two models blind')
		.epilog('First steps: `npm start` in the project opens teach on the shipped job-title model. Each command has --help with examples; `inkling doctor` says which backend runs.')
		.demandCommand(1, 'Name a command: `inkling --help` lists them.')
		.recommendCommands()
		.strict()
		.help()
		.alias('h', 'help')
		.version()
		.wrap(Math.min(100, process.stdout.columns || 100))
		.fail((message, error) => {
			// Thrown, not printed here: yargs would go on and run the command with what it could parse.
			throw error ?? new UsageError(withoutCamelCase(message));
		});

	try {
		await cli.parseAsync();
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(terminalSafe(`inkling: ${error.message}\nRun \`inkling --help\` (or \`inkling <command> --help\`) for usage.\n`));
			process.exitCode = 1;
			return;
		}

		if (error instanceof UserError) {
			// Messages quote file names, labels and lines of data: never raw on the terminal.
			process.stderr.write(terminalSafe(`inkling: ${error.message}\n`));
			process.exitCode = 1;
			return;
		}

		throw error;
	}
}

// A reader that stops early (`inkling db-out news | head`) is not an error.
// EIO is a terminal that has gone (a dropped SSH connection) while a frame
// was being written, just before its SIGHUP: the hangup is handled as one,
// by the screen's own handler (which saves), not thrown from here.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE' && stream === process.stdout) {
			process.exit(0);
		}

		if (error.code === 'EIO') {
			process.kill(process.pid, 'SIGHUP');
			return;
		}

		throw error;
	});
}

await main(hideBin(process.argv));
