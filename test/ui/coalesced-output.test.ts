import {EventEmitter} from 'node:events';
import test from 'ava';
import {coalescedOutput} from '../../source/ui/coalesced-output.js';

/** A terminal stand-in that records its writes. */
function terminal() {
	const writes: unknown[] = [];
	// eslint-disable-next-line unicorn/prefer-event-target -- a Node stream is an EventEmitter
	const stream = Object.assign(new EventEmitter(), {
		columns: 100,
		rows: 30,
		isTTY: true,
		write(chunk: unknown, ...rest: unknown[]) {
			writes.push(chunk);
			const callback = rest.find(item => typeof item === 'function') as (() => void) | undefined;
			callback?.();
			return true;
		},
	});
	return {stream: stream as unknown as NodeJS.WriteStream, writes};
}

test('the strings written in one run of code go out as one write, once it has finished', async t => {
	const {stream, writes} = terminal();
	const output = coalescedOutput(stream);
	output.write('\u001B[?2026h');
	output.write('frame');
	output.write('\u001B[?2026l');
	t.deepEqual(writes, []);
	await Promise.resolve();
	t.deepEqual(writes, ['\u001B[?2026hframe\u001B[?2026l']);
	output.write('next');
	await Promise.resolve();
	t.deepEqual(writes, ['\u001B[?2026hframe\u001B[?2026l', 'next']);
});

test('bytes, or a write with a callback, go out at once, after what was waiting', async t => {
	const {stream, writes} = terminal();
	const output = coalescedOutput(stream);
	output.write('a');
	const bytes = Buffer.from('b');
	output.write(bytes);
	let called = false;
	output.write('c', () => {
		called = true;
	});
	t.deepEqual(writes, ['a', bytes, 'c']);
	t.true(called);
	await Promise.resolve();
	t.is(writes.length, 3);
});

test('size and events are the terminal\'s own', t => {
	const {stream} = terminal();
	const output = coalescedOutput(stream);
	t.is(output.columns, 100);
	t.true(output.isTTY);
	let resized = 0;
	const onResize = () => {
		resized++;
	};

	output.on('resize', onResize);
	stream.emit('resize');
	output.off('resize', onResize);
	stream.emit('resize');
	t.is(resized, 1);
});
