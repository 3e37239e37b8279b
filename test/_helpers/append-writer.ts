// Appends answers to a database and prints each id once its add has returned.
// Usage: node --import=tsx test/_helpers/append-writer.ts <db> <dataset> <prefix> <count>
import {Database} from '../../source/store/database.js';

const [file, dataset, prefix, count] = process.argv.slice(2);
const database = Database.open(file!, {onWarning: message => process.stderr.write(`${message}\n`)});
const session = database.startSession(dataset!, {name: prefix});
process.stdout.write('ready\n');
// A count of 0 appends until the process is killed.
const total = Number(count) || Number.POSITIVE_INFINITY;
for (let index = 0; index < total; index++) {
	const id = `${prefix}-${index}`;
	database.add(dataset!, session, {
		text: `Answer ${id} is about a staff nurse`, spans: [{start: 27, end: 38, label: 'JOB_TITLE'}], answer: 'accept', meta: {id},
	});
	process.stdout.write(`${id}\n`);
}

await database.close();
