import {Worker} from 'node:worker_threads';
import test from 'ava';
import {serveChannel, WorkerChannel} from '../../source/worker/channel.js';
import type {FromEcho, ToEcho} from '../_helpers/channel-worker.js';
import {until} from '../_helpers/until.js';

/** A thread running the TypeScript test worker through tsx, as a worker-entry.js does in the source tree. */
function echoThread(): Worker {
	const api = import.meta.resolve('tsx/esm/api');
	const module = new URL('../_helpers/channel-worker.ts', import.meta.url).href;
	return new Worker(`import(${JSON.stringify(api)}).then(({register}) => { register(); return import(${JSON.stringify(module)}); });`, {eval: true});
}

type Heard = {messages: FromEcho[]; errors: string[]; exits: number[]};

function open(): {channel: WorkerChannel<ToEcho, FromEcho>; heard: Heard; next: (count: number) => Promise<void>} {
	const heard: Heard = {messages: [], errors: [], exits: []};
	let waiting: (() => void) | undefined;
	let wanted = 0;
	const check = () => {
		if (waiting && heard.messages.length + heard.errors.length >= wanted) {
			waiting();
			waiting = undefined;
		}
	};

	const channel = new WorkerChannel<ToEcho, FromEcho>(echoThread(), {
		message(message) {
			heard.messages.push(message);
			check();
		},
		error(error) {
			heard.errors.push(error.message);
			check();
		},
		exit(code) {
			heard.exits.push(code);
		},
	});
	const next = async (count: number) => new Promise<void>(resolve => {
		wanted = count;
		waiting = resolve;
		check();
	});
	return {channel, heard, next};
}

test('messages are handled one at a time, in the order they were posted, even while the first one waits', async t => {
	const {channel, heard, next} = open();
	try {
		const gate = new Int32Array(new SharedArrayBuffer(4));
		channel.post({type: 'double', value: 1, gate});
		channel.post({type: 'double', value: 2});
		channel.post({type: 'double', value: 3});
		// The first waits on the gate until the worker says it waits; the two after it must wait too.
		await next(1);
		t.deepEqual(heard.messages, [{type: 'waiting'}]);
		Atomics.store(gate, 0, 1);
		Atomics.notify(gate, 0);
		await next(4);
		t.deepEqual(heard.messages, [{type: 'waiting'}, {type: 'doubled', value: 2}, {type: 'doubled', value: 4}, {type: 'doubled', value: 6}]);
		t.deepEqual(heard.errors, []);
	} finally {
		await channel.close();
	}
});

test('a transferred buffer moves to the worker and is gone from the sender', async t => {
	const {channel, heard, next} = open();
	try {
		const values = Float32Array.of(1.5, 2.5, 4);
		channel.post({type: 'sum', values}, [values.buffer]);
		t.is(values.byteLength, 0);
		await next(1);
		t.deepEqual(heard.messages, [{type: 'sum', sum: 8}]);
	} finally {
		await channel.close();
	}
});

test('a handler that throws reaches the calling thread\'s error handler, and the thread stops', async t => {
	const {channel, heard, next} = open();
	channel.post({type: 'double', value: 5});
	channel.post({type: 'throw', message: 'the model folder went away'});
	await next(2);
	await until(() => heard.exits.length > 0, 'the thread to stop');
	t.deepEqual(heard.messages, [{type: 'doubled', value: 10}]);
	t.deepEqual(heard.errors, ['the model folder went away']);
	t.is(heard.exits.length, 1);
});

test('serving outside a worker thread does nothing', t => {
	let opened = false;
	t.false(serveChannel<ToEcho, FromEcho>(() => {
		opened = true;
		return {handle: () => undefined};
	}));
	t.false(opened);
});
