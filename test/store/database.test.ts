import fs from 'node:fs';
import path from 'node:path';
import {execFile, spawn} from 'node:child_process';
import {promisify} from 'node:util';
import test from 'ava';
import {Database, recoverDatabase} from '../../source/store/database.js';
import {CorruptFileError} from '../../source/errors.js';
import {until} from '../_helpers/until.js';
import {temporaryFolder} from '../_helpers/temp.js';

const run = promisify(execFile);
const writer = path.resolve(import.meta.dirname, '../_helpers/store-writer.ts');

function task(index: number) {
	return {text: `Wanted: staff nurse number ${index}`, spans: [{start: 8, end: 19, label: 'JOB_TITLE'}], answer: 'accept' as const};
}

function open(file: string, warnings: string[] = []) {
	return Database.open(file, {onWarning: message => warnings.push(message)});
}

test('an answer is in the journal when add returns, and is read back after reopening', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	const saved = database.add('jobs', session, task(1));
	t.is(typeof saved._input_hash, 'number');
	t.is(typeof saved._task_hash, 'number');
	t.true(fs.readFileSync(`${file}.journal`, 'utf8').includes('staff nurse number 1'));
	database.closeSync(); // Like a crash: nothing folded

	const again = open(file);
	t.deepEqual(again.examples('jobs').map(example => example.task.text), ['Wanted: staff nurse number 1']);
	t.is(again.examples('jobs')[0]!.session, session);
	await again.close();
	t.true(fs.existsSync(file));
	const document = JSON.parse(fs.readFileSync(file, 'utf8')) as {examples: unknown[]; journal: {offset: number}};
	t.is(document.examples.length, 1);
	t.is(document.journal.offset, fs.statSync(`${file}.journal`).size);
});

test('the folded document plus the journal tail gives every answer', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	for (let index = 0; index < 5; index++) {
		database.add('jobs', session, task(index));
	}

	t.true(database.fold());
	for (let index = 5; index < 8; index++) {
		database.add('jobs', session, task(index));
	}

	database.closeSync();
	const again = open(file);
	t.deepEqual(again.examples('jobs').map(example => example.task.text.split(' ').at(-1)), ['0', '1', '2', '3', '4', '5', '6', '7']);
	await again.close();
});

test('a truncated last journal line is dropped with a warning, and later answers still count', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	database.add('jobs', session, task(1));
	database.closeSync();
	fs.appendFileSync(`${file}.journal`, '\n{"op":"add","dataset":"jobs","session":"x","tasks":[{"text":"cut sh');

	const warnings: string[] = [];
	const again = open(file, warnings);
	t.is(again.examples('jobs').length, 1);
	t.is(warnings.length, 1);
	t.regex(warnings[0]!, /db\.json\.journal:5: dropped a line cut short by a crash/);
	again.add('jobs', session, task(2));
	again.closeSync();

	const third: string[] = [];
	const last = open(file, third);
	t.deepEqual(last.examples('jobs').map(example => example.task.text.at(-1)), ['1', '2']);
	t.regex(third.join('\n'), /:5: dropped a line cut short/);
	await last.close();
});

test('a damaged journal line is an error naming the file and line, and db-recover keeps the rest', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	database.add('jobs', session, task(1));
	database.closeSync();
	fs.appendFileSync(`${file}.journal`, '\n{"op":"add", garbage}');
	const later = open(file);
	later.add('jobs', session, task(2));
	later.closeSync();
	fs.rmSync(file, {force: true});

	const error = t.throws(() => open(file), {instanceOf: CorruptFileError});
	t.regex(error.message, /db\.json\.journal:5: this journal line is not a valid record/);
	t.regex(error.message, /inkling db-recover/);

	const result = await recoverDatabase(file);
	t.is(result.examples, 2);
	t.deepEqual(result.badLines.map(line => line.line), [5]);
	t.regex(fs.readFileSync(`${file}.journal.bad`, 'utf8'), /^5\t{"op":"add", garbage}/);
	const recovered = open(file);
	t.is(recovered.examples('jobs').length, 2);
	await recovered.close();
});

test('a damaged database file is an error naming its line, and db-recover rebuilds it from the journal', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	for (let index = 0; index < 4; index++) {
		database.add('jobs', session, task(index));
	}

	await database.close();
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	lines[2] = '{"dataset":"jobs","task":{"text":';
	fs.writeFileSync(file, lines.join('\n'));

	const error = t.throws(() => open(file), {instanceOf: CorruptFileError});
	t.regex(error.message, /db\.json:3: the database file is damaged/);
	const result = await recoverDatabase(file);
	t.true(result.damagedDocument);
	t.is(result.examples, 4);
	t.true(fs.existsSync(`${file}.damaged`));
	const recovered = open(file);
	t.is(recovered.examples('jobs').length, 4);
	await recovered.close();
});

test('a large import is one transaction: without its commit line none of it is read', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('big');
	const tasks = Array.from({length: 45_000}, (_, index) => task(index));
	database.addMany('big', session, tasks);
	t.is(database.examples('big').length, 45_000);
	database.closeSync();

	const journal = fs.readFileSync(`${file}.journal`, 'utf8').split('\n');
	t.regex(journal.at(-1)!, /^{"op":"commit"/);
	fs.writeFileSync(`${file}.journal`, journal.slice(0, -1).join('\n'));
	fs.rmSync(file, {force: true});
	const crashed = open(file);
	t.is(crashed.examples('big').length, 0);
	await crashed.close();
});

test('dropping a session removes its answers; dropping a dataset removes it all', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const first = database.startSession('jobs', {name: 'alice'});
	const second = database.startSession('jobs', {name: 'bob'});
	database.add('jobs', first, task(1));
	database.add('jobs', second, task(2));
	database.add('jobs', second, task(3));
	t.deepEqual(database.drop('jobs-bob'), {kind: 'session', examples: 2});
	t.is(database.examples('jobs').length, 1);
	t.deepEqual(database.drop('jobs'), {kind: 'dataset', examples: 1});
	t.deepEqual(database.datasets(), []);
	t.throws(() => database.drop('jobs'), {message: /There is no dataset or session "jobs"/});
	await database.close();
	const again = open(file);
	t.deepEqual(again.datasets(), []);
	await again.close();
});

test('two handles on one database see each other\'s answers and fold to the same document', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const a = open(file);
	const b = open(file);
	const sessionA = a.startSession('jobs', {name: 'a'});
	const sessionB = b.startSession('jobs', {name: 'b'});
	for (let index = 0; index < 10; index++) {
		(index % 2 === 0 ? a : b).add('jobs', index % 2 === 0 ? sessionA : sessionB, task(index));
	}

	t.is(a.examples('jobs').length, 10);
	t.is(b.examples('jobs').length, 10);
	t.true(a.fold());
	b.add('jobs', sessionB, task(10));
	await b.close();
	await a.close();
	const reopened = open(file);
	t.is(reopened.examples('jobs').length, 11);
	t.deepEqual(reopened.sessions('jobs').map(session => session.id).sort(), ['jobs-a', 'jobs-b']);
	await reopened.close();
});

test('two processes appending at once lose nothing and interleave no lines', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const node = ['--import=tsx', writer, file, '-', 'jobs'];
	const [first, second] = await Promise.all([
		run(process.execPath, [...node, 'p1', '1000']),
		run(process.execPath, [...node, 'p2', '1000']),
	]);
	t.is(first.stdout.split('\n').filter(line => line.startsWith('p1-')).length, 1000);
	t.is(second.stdout.split('\n').filter(line => line.startsWith('p2-')).length, 1000);
	const database = open(file);
	const ids = new Set(database.examples('jobs').map(example => (example.task.meta as {id: string}).id));
	t.is(ids.size, 2000);
	await database.close();
});

test('kill -9 during appends loses no acknowledged answer', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const acknowledged: string[] = [];
	for (let round = 0; round < 3; round++) {
		await new Promise<void>((resolve, reject) => {
			const child = spawn(process.execPath, ['--import=tsx', writer, file, '-', 'jobs', `r${round}`, '0'], {stdio: ['ignore', 'pipe', 'inherit']});
			let buffer = '';
			child.stdout.on('data', (chunk: Buffer) => {
				buffer += chunk.toString();
				// Killed once it has acknowledged a number of answers that differs each round
				// (not after a fixed time: under load a writer may not have begun by then).
				if (!child.killed && buffer.split('\n').filter(line => line.startsWith(`r${round}-`)).length >= 20 + (round * 97)) {
					child.kill('SIGKILL');
				}
			});
			child.on('error', reject);
			child.on('exit', () => {
				acknowledged.push(...buffer.split('\n').filter(line => line.startsWith(`r${round}-`)));
				resolve();
			});
		});
	}

	t.true(acknowledged.length > 10, `only ${acknowledged.length} acknowledged`);
	const database = open(file);
	const stored = new Set(database.examples('jobs').map(example => (example.task.meta as {id: string}).id));
	t.deepEqual(acknowledged.filter(id => !stored.has(id)), []);
	await database.close();
});

test('opening removes temporary files left by folds of processes that are gone', async t => {
	const folder = temporaryFolder(t);
	const file = path.join(folder, 'db.json');
	const gone = await new Promise<number>(resolve => {
		const child = spawn(process.execPath, ['-e', '']);
		child.on('exit', () => {
			resolve(child.pid!);
		});
	});
	fs.writeFileSync(`${file}.${gone}.tmp`, '{"half": ');
	fs.writeFileSync(`${file}.${process.pid}.tmp`, 'mine');
	const database = open(file);
	t.false(fs.existsSync(`${file}.${gone}.tmp`));
	t.true(fs.existsSync(`${file}.${process.pid}.tmp`));
	database.closeSync();
});

test('a line cut short right after an inner brace is still a truncated line, also once answers follow it', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	database.add('jobs', session, task(1));
	database.add('jobs', session, task(2));
	database.closeSync();
	const journal = fs.readFileSync(`${file}.journal`, 'utf8');
	// Cut the last record just after its span's closing brace.
	fs.writeFileSync(`${file}.journal`, journal.slice(0, journal.lastIndexOf('"label":"JOB_TITLE"}') + '"label":"JOB_TITLE"}'.length));
	const warnings: string[] = [];
	const again = open(file, warnings);
	again.add('jobs', session, task(3));
	t.deepEqual(again.examples('jobs').map(example => example.task.text.at(-1)), ['1', '3']);
	again.closeSync();
	const third: string[] = [];
	const last = open(file, third);
	t.is(last.count(), 2);
	t.regex(third.join('\n'), /dropped a line cut short/);
	await last.close();
});

test('remove takes back the session\'s latest answer on a task, also after reopening and folding', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const database = open(file);
	const session = database.startSession('jobs');
	const first = database.add('jobs', session, task(1));
	database.add('jobs', session, task(2));
	database.remove('jobs', session, first._task_hash);
	database.add('jobs', session, {...task(1), answer: 'reject'});
	t.deepEqual(database.examples('jobs').map(example => [example.task.text, example.task.answer]), [
		['Wanted: staff nurse number 2', 'accept'],
		['Wanted: staff nurse number 1', 'reject'],
	]);
	database.closeSync();
	const reopened = open(file);
	t.is(reopened.examples('jobs').length, 2);
	await reopened.close();
	const folded = open(file);
	t.deepEqual(folded.examples('jobs').map(example => example.task.answer), ['accept', 'reject']);
	await folded.close();
});

test.serial('flush "soon": written when add returns, flushed once on the next turn off the main thread, and close flushes what is pending', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const original = fs.fdatasyncSync;
	const originalAsync = fs.fdatasync;
	let flushes = 0;
	let inBackground = 0;
	fs.fdatasyncSync = (fd: number) => {
		flushes++;
		original(fd);
	};

	// @ts-expect-error -- a stand-in with fdatasync's callback form only
	fs.fdatasync = (fd: number, callback: fs.NoParamCallback) => {
		flushes++;
		inBackground++;
		originalAsync(fd, callback);
	};

	try {
		const soon = Database.open(file, {flush: 'soon'});
		const session = soon.startSession('jobs');
		flushes = 0;
		for (let index = 0; index < 3; index++) {
			soon.add('jobs', session, task(index));
		}

		t.is(flushes, 0, 'nothing flushed before the event loop turns');
		// Another handle reads the answers already: they are written.
		const reader = open(file);
		t.is(reader.examples('jobs').length, 3);
		reader.closeSync();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		t.is(flushes, 0, 'not before this turn\'s immediates (where a screen draws)');
		await until(() => flushes > 0, 'the flush on the thread pool');
		t.is(flushes, 1, 'the three appends are flushed together');
		t.is(inBackground, 1, 'on the thread pool');
		soon.add('jobs', session, task(3));
		soon.closeSync();
		t.is(flushes, 2, 'closing flushes the pending append');
		t.is(inBackground, 1, 'at once');

		const now = open(file);
		flushes = 0;
		now.add('jobs', now.startSession('jobs'), task(4));
		t.is(flushes, 2, 'the default flushes each append (session start and answer) at once');
		t.is(now.examples('jobs').length, 5);
		await now.close();
	} finally {
		fs.fdatasyncSync = original;
		fs.fdatasync = originalAsync;
	}
});

test.serial('flush "soon": a flush that fails on the thread pool is thrown by the next append, and closing waits for one in flight', async t => {
	const file = path.join(temporaryFolder(t), 'db.json');
	const originalAsync = fs.fdatasync;
	const originalClose = fs.closeSync;
	const finishes: Array<() => void> = [];
	const closed: number[] = [];
	// @ts-expect-error -- a stand-in with fdatasync's callback form only
	fs.fdatasync = (fd: number, callback: fs.NoParamCallback) => {
		finishes.push(() => {
			callback(Object.assign(new Error('EIO: i/o error, fdatasync'), {code: 'EIO'}));
		});
	};

	fs.closeSync = (fd: number) => {
		closed.push(fd);
		originalClose(fd);
	};

	try {
		const soon = Database.open(file, {flush: 'soon'});
		const session = soon.startSession('jobs');
		soon.add('jobs', session, task(0));
		await until(() => finishes.length > 0, 'the flush on the thread pool');
		t.is(finishes.length, 1, 'a flush is in flight');
		closed.length = 0;
		soon.closeSync();
		t.deepEqual(closed, [], 'the journal stays open for the flush in flight');
		finishes.shift()!();
		t.is(closed.length, 1, 'and is closed when it ends');

		const again = Database.open(file, {flush: 'soon'});
		again.add('jobs', again.startSession('jobs'), task(1));
		await until(() => finishes.length > 0, 'the flush on the thread pool');
		finishes.shift()!();
		t.throws(() => {
			again.add('jobs', session, task(2));
		}, {message: /EIO/});
		again.closeSync();
		t.is(open(file).examples('jobs').length, 2, 'what was written before is kept');
	} finally {
		fs.fdatasync = originalAsync;
		fs.closeSync = originalClose;
	}
});
