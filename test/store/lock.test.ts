import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {removeStale, tryLock} from '../../source/store/lock.js';
import {temporaryFolder} from '../_helpers/temp.js';

/** The pid of a process that has ended. */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'});
	return Number(child.stdout);
}

test('a lock left by a dead process is taken over; a live one is not', t => {
	const file = path.join(temporaryFolder(t), 'db.json.lock');
	fs.writeFileSync(file, `${deadPid()}\n${os.hostname()}\n`);
	const release = tryLock(file);
	t.truthy(release);
	t.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n${os.hostname()}\n`);
	// Held by this live process: nobody else takes it.
	t.is(tryLock(file), undefined);
	release!();
	t.false(fs.existsSync(file));
});

test('a process that judged a lock stale does not remove the one another process has just taken in its place', t => {
	const file = path.join(temporaryFolder(t), 'db.json.lock');
	fs.writeFileSync(file, `${deadPid()}\n${os.hostname()}\n`);
	// A takes over the stale lock...
	const release = tryLock(file);
	t.truthy(release);
	// ...and B, which had judged the old one stale a moment before, comes to remove it: it looks again first.
	t.false(removeStale(file));
	t.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n${os.hostname()}\n`);
	t.false(fs.existsSync(`${file}.reap`));
	// While another process is removing a stale lock (its reaper file is there), no one else removes anything.
	fs.writeFileSync(`${file}.reap`, '');
	t.false(removeStale(file));
	t.true(fs.existsSync(file));
	release!();
});
