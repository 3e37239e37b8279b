/**
 * Child process of bench/store.ts: opens the database itself, then appends
 * answers with `db.add`, printing `ack <id>` on stdout after each `add` has
 * returned (so the answer is on disk). Without --count it appends until killed.
 *
 *   node --import=tsx bench/store-writer.ts <db-file> --prefix <id-prefix> [--count N]
 *     [--dataset NAME] [--fold-after BYTES] [--yield-every N]
 *
 * Stdout lines: `warning <json message>` (from opening), `ready`, `ack <id>`…,
 * `fold-start` / `fold-end <ms>` around each background fold, `done`.
 */
import process from 'node:process';
import {parseArgs} from 'node:util';
import {setImmediate as yieldToLoop} from 'node:timers/promises';
import {Database} from '../source/store/database.js';
import {makeTask} from './store-tasks.js';

const {positionals, values} = parseArgs({
	allowPositionals: true,
	options: {
		prefix: {type: 'string', default: 'w'},
		count: {type: 'string'},
		dataset: {type: 'string', default: 'bench'},
		'fold-after': {type: 'string'},
		'yield-every': {type: 'string', default: '100'},
	},
});

const file = positionals[0];
if (!file) {
	process.stderr.write('usage: store-writer.ts <db-file> --prefix P [--count N]\n');
	process.exit(2);
}

// Pipes are written synchronously on Linux, so each line is in the pipe before the next `add` starts.
const print = (line: string) => process.stdout.write(line + '\n');
const count = values.count === undefined ? Number.POSITIVE_INFINITY : Number(values.count);
const yieldEvery = Math.max(1, Number(values['yield-every']));
const database = Database.open(file, {
	onWarning(message) {
		print(`warning ${JSON.stringify(message)}`);
	},
	...(values['fold-after'] === undefined ? {} : {foldAfterBytes: Number(values['fold-after'])}),
});
const session = database.startSession(values.dataset);
// Say when a background fold runs, so a kill in the middle of one can be told.
const fold = database.fold.bind(database);
database.fold = () => {
	print('fold-start');
	const started = process.hrtime.bigint();
	const folded = fold();
	print(`fold-end ${Number(process.hrtime.bigint() - started) / 1e6}`);
	return folded;
};

print('ready');
// A different stretch of sentences for each writer.
const base = Math.floor(Math.random() * 1_000_000_000);
for (let n = 0; n < count; n++) {
	const id = `${values.prefix}-${n}`;
	database.add(values.dataset, session, makeTask(base + n, id));
	print(`ack ${id}`);
	if ((n + 1) % yieldEvery === 0) {
		// Let the background fold timer run, as it would between a person's answers.
		await yieldToLoop();
	}
}

await database.close();
print('done');
