/**
 * Child process of bench/store.ts: times `Database.open(file)` plus
 * `db.count()` in a fresh process, so the RSS it reports is the open's alone.
 * Prints one JSON line: {openMs, count, rssMiB, heapUsedMiB, warnings}.
 *
 *   node --import=tsx bench/store-open.ts <db-file>
 */
import process from 'node:process';
import {Database} from '../source/store/database.js';

const file = process.argv[2];
if (!file) {
	process.stderr.write('usage: store-open.ts <db-file>\n');
	process.exit(2);
}

const warnings: string[] = [];
const started = process.hrtime.bigint();
const database = Database.open(file, {
	onWarning(message) {
		warnings.push(message);
	},
});
const count = database.count();
const openMs = Number(process.hrtime.bigint() - started) / 1e6;
const memory = process.memoryUsage();
// Nothing was added, so there is nothing to fold.
database.closeSync();
process.stdout.write(JSON.stringify({
	openMs,
	count,
	rssMiB: memory.rss / 1024 / 1024,
	heapUsedMiB: memory.heapUsed / 1024 / 1024,
	warnings,
}) + '\n');
