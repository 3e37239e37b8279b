// Saves answers to a store as a screen does (one `add` a key, the event loop
// turning in between) and prints each id once its `add` has returned: an
// acknowledged answer. Usage:
// node --import=tsx test/_helpers/store-writer.ts <location> <outbox folder, or - for a JSON file> <dataset> <prefix> <count>
import {setImmediate as turn} from 'node:timers/promises';
import {PostgresStore} from '../../source/store/postgres.js';
import {isServerUrl} from '../../source/store/paths.js';
import {JsonStore} from '../../source/store/store.js';

const [location, outboxFolder, dataset, prefix, count] = process.argv.slice(2);
const onWarning = (message: string) => process.stderr.write(`${message}\n`);
const store = isServerUrl(location!) ? await PostgresStore.open(location!, {outboxFolder, onWarning, flush: 'soon'}) : JsonStore.open(location!, {onWarning, flush: 'soon'});
const session = await store.startSession(dataset!, {name: prefix});
process.stdout.write('ready\n');
// A count of 0 saves until the process is killed.
const total = Number(count) || Number.POSITIVE_INFINITY;
for (let index = 0; index < total; index++) {
	const id = `${prefix}-${index}`;
	store.add(dataset!, session, {
		text: `Answer ${id} is about a staff nurse`, spans: [{start: 27, end: 38, label: 'JOB_TITLE'}], answer: 'accept', meta: {id},
	});
	process.stdout.write(`${id}\n`);

	await turn();
}

await store.close();
