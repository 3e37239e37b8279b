import test from 'ava';
import {UserError} from '../../source/errors.js';
import {eachStore, openTestStore} from '../_helpers/stores.js';

function task(index: number, answer: 'accept' | 'reject' = 'accept') {
	return {text: `Wanted: staff nurse number ${index}`, spans: [{start: 8, end: 19, label: 'JOB_TITLE'}], answer};
}

const texts = (examples: ReadonlyArray<{task: {text: string}}>) => examples.map(example => example.task.text);

eachStore(test, 'an answer is read back at once, in order, with its session and Prodigy hashes; an undo takes back the latest', async (t, kind) => {
	const {store} = await openTestStore(t, kind);
	const session = await store.startSession('jobs', {meta: {recipe: 'teach'}});
	t.regex(session, /^jobs-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d/u);
	const first = store.add('jobs', session, task(1));
	store.add('jobs', session, task(2, 'reject'));
	t.is(typeof first._input_hash, 'number');
	const stored = await store.examples('jobs');
	t.deepEqual(texts(stored), ['Wanted: staff nurse number 1', 'Wanted: staff nurse number 2']);
	t.is(stored[0]!.session, session);
	t.is(stored[0]!.task._task_hash, first._task_hash);
	t.is(stored[1]!.task.answer, 'reject');

	// The same question answered twice, then undone: the later answer goes.
	store.add('jobs', session, {...task(1), answer: 'reject'});
	store.remove('jobs', session, first._task_hash);
	const after = await store.examples('jobs');
	t.deepEqual(after.map(example => example.task.answer), ['accept', 'reject']);
	t.is(await store.count(), 2);
	t.deepEqual(await store.datasets(), ['jobs']);
	const [info] = await store.sessions('jobs');
	t.is(info!.id, session);
	t.deepEqual(info!.meta, {recipe: 'teach'});
});

eachStore(test, 'a named session is the same session when started again; unnamed ones started in the same second get their own ids', async (t, kind) => {
	const {store} = await openTestStore(t, kind);
	t.is(await store.startSession('jobs', {name: 'alice'}), 'jobs-alice');
	t.is(await store.startSession('jobs', {name: 'alice'}), 'jobs-alice');
	const ids = await Promise.all([store.startSession('jobs'), store.startSession('jobs'), store.startSession('jobs')]);
	t.is(new Set(ids).size, 3);
	const sessions = await store.sessions('jobs');
	t.is(sessions.length, 4);
});

eachStore(test, 'drop takes a dataset with its sessions and answers, or one session\'s answers, and names what is missing', async (t, kind) => {
	const {store} = await openTestStore(t, kind);
	const alice = await store.startSession('jobs', {name: 'alice'});
	const bob = await store.startSession('jobs', {name: 'bob'});
	store.add('jobs', alice, task(1));
	store.add('jobs', bob, task(2));
	store.add('jobs', bob, task(3));
	t.deepEqual(await store.drop('jobs-bob'), {kind: 'session', examples: 2});
	t.deepEqual(texts(await store.examples('jobs')), ['Wanted: staff nurse number 1']);
	t.deepEqual(await store.drop('jobs'), {kind: 'dataset', examples: 1});
	t.deepEqual(await store.datasets(), []);
	t.deepEqual(await store.sessions(), []);
	const error = await t.throwsAsync(async () => store.drop('jobs'), {instanceOf: UserError});
	t.regex(error.message, /There is no dataset or session "jobs" in /u);
});

eachStore(test, 'addMany saves every task in one go and they survive a reopen', async (t, kind) => {
	const {store, reopen} = await openTestStore(t, kind);
	const session = await store.startSession('bulk');
	const tasks = Array.from({length: 2500}, (_, index) => task(index));
	const saved = await store.addMany('bulk', session, tasks);
	t.is(saved.length, 2500);
	await store.close();
	const again = await reopen();
	const stored = await again.examples('bulk');
	t.is(stored.length, 2500);
	t.is(stored[2499]!.task.text, 'Wanted: staff nurse number 2499');
	t.is(stored[17]!.task._input_hash, saved[17]!._input_hash);
});

eachStore(test, 'importDataset copies a dataset with its creation time, sessions and hashes, and refuses one that exists', async (t, kind) => {
	const {store} = await openTestStore(t, kind);
	const examples = [
		{
			dataset: 'old', session: 'old-alice', task: {
				text: 'A porter', _input_hash: 11, _task_hash: 12, answer: 'accept' as const,
			},
		},
		{
			dataset: 'old', session: 'old-bob', task: {
				text: 'A cook', _input_hash: 21, _task_hash: 22, answer: 'reject' as const,
			},
		},
		{dataset: 'old', session: 'old-alice', task: {text: 'A nurse', _input_hash: 31, _task_hash: 32}},
	];
	const sessions = [{
		id: 'old-alice', dataset: 'old', created: 1_700_000_000, meta: {recipe: 'manual'},
	}, {id: 'old-bob', dataset: 'old', created: 1_700_000_100}];
	await store.importDataset('old', {created: 1_690_000_000, meta: {note: 'x'}}, sessions, examples);
	t.deepEqual(await store.dataset('old'), {created: 1_690_000_000, meta: {note: 'x'}});
	t.deepEqual(await store.sessions('old'), sessions);
	t.deepEqual(await store.examples('old'), examples);
	await t.throwsAsync(async () => store.importDataset('old', {created: 1}, [], []), {message: /already has a dataset "old"/u});
});

eachStore(test, 'answered gives the hashes and count of a dataset\'s answers, of one session when asked, and the latest answers oldest first', async (t, kind) => {
	const {store} = await openTestStore(t, kind);
	const alice = await store.startSession('jobs', {name: 'alice'});
	const bob = await store.startSession('jobs', {name: 'bob'});
	const saved = [store.add('jobs', alice, task(1)), store.add('jobs', bob, task(2)), store.add('jobs', alice, task(3)), store.add('jobs', alice, task(4))];
	const all = await store.answered('jobs', {recent: 2});
	t.is(all.count, 4);
	t.deepEqual(all.inputs, new Set(saved.map(item => item._input_hash)));
	t.deepEqual(all.tasks, new Set(saved.map(item => item._task_hash)));
	t.deepEqual(texts(all.recent), ['Wanted: staff nurse number 3', 'Wanted: staff nurse number 4']);
	const ofBob = await store.answered('jobs', {session: bob});
	t.is(ofBob.count, 1);
	t.deepEqual(ofBob.inputs, new Set([saved[1]!._input_hash]));
	t.deepEqual(ofBob.recent, []);
	const none = await store.answered('nothing');
	t.is(none.count, 0);
	t.is(none.inputs.size, 0);
});
