import test from 'ava';
import {speedUpOn, speedUps} from '../source/speed-ups.js';

test('every speed-up is on unless INKLING_WITHOUT names it, or says all', t => {
	for (const name of speedUps) {
		t.true(speedUpOn(name, {}), name);
		t.true(speedUpOn(name, {INKLING_WITHOUT: ''}), name);
	}

	t.false(speedUpOn('fast-output', {INKLING_WITHOUT: 'thread-priority, fast-output'}));
	t.true(speedUpOn('thread-priority', {INKLING_WITHOUT: 'fast-output'}));
	t.false(speedUpOn('thread-priority', {INKLING_WITHOUT: 'all'}));
});
