import path from 'node:path';
import test from 'ava';
import {exportDataset} from '../../source/recipes/db.js';
import {editItems, EditSession} from '../../source/recipes/manual/session.js';
import {JsonStore} from '../../source/store/store.js';
import type {Task} from '../../source/task/task.js';
import {editReducer, initialEditState, type EditState} from '../../source/ui/edit-reducer.js';
import {
	readJsonl, hasSharedDatasets, sharedDataset, temporaryFolder,
} from '../_helpers/temp.js';
import {readSourceTasks} from '../../source/recipes/source.js';

// Tests that read ../shared/datasets run where it is (or INKLING_DATASETS points at it).
const withDatasets = hasSharedDatasets() ? test : test.skip;

withDatasets('manual answers on the news headlines export with db-out in the shape of Prodigy\'s annotated.jsonl (reads ../shared/datasets)', async t => {
	const raw = sharedDataset('prodigy_news_headlines', 'raw.jsonl');
	const annotated = readJsonl<Task>(sharedDataset('prodigy_news_headlines', 'annotated.jsonl')).filter(task => task.answer === 'accept');
	const byText = new Map(annotated.map(task => [task.text, task]));
	const labels = [...new Set(annotated.flatMap(task => (task.spans ?? []).map(span => span.label)))];
	const folder = temporaryFolder(t);
	const database = JsonStore.open(path.join(folder, 'db.json'));
	const items = editItems(readSourceTasks(raw), {unsegmented: false, labels, skip: new Set()});
	const session = await EditSession.start(database, {
		dataset: 'news', labels, viewId: 'ner_manual', recipe: 'manual', items, answeredBefore: 0, ahead: 1000,
	});
	let state: EditState = initialEditState(labels);
	session.subscribe(event => {
		if (event.type === 'items') {
			state = editReducer(state, {type: 'items', items: event.items});
		}
	});

	// The person's keys, as the screen turns them into actions: for each of Prodigy's spans, the cursor to its first token, extend to its last, its label's number.
	let compared = 0;
	while (state.current) {
		const gold = byText.get(state.current.item.text);
		for (const span of gold?.tokens && JSON.stringify(gold.tokens.map(token => [token.start, token.end])) === JSON.stringify(state.current.item.tokens.map(token => [token.start, token.end])) ? gold.spans ?? [] : []) {
			state = editReducer(state, {type: 'move', to: 'home', extend: false});
			for (let index = 0; index < span.token_start!; index++) {
				state = editReducer(state, {type: 'move', to: 'right', extend: false});
			}

			for (let index = span.token_start!; index < span.token_end!; index++) {
				state = editReducer(state, {type: 'move', to: 'right', extend: true});
			}

			state = editReducer(state, {type: 'label', index: labels.indexOf(span.label)});
			t.is(state.notice, undefined);
		}

		compared += gold ? 1 : 0;
		const taskHash = session.answer(state.current!, gold ? 'accept' : 'ignore');
		state = editReducer(state, {type: 'answer', answer: gold ? 'accept' : 'ignore', taskHash});
	}

	await session.close();
	const reopened = JsonStore.open(path.join(folder, 'db.json'));
	const exported2 = await exportDataset(reopened, 'news', {format: 'jsonl'});
	const exported = exported2.text.trim().split('\n').map(line => JSON.parse(line) as Task);
	await reopened.close();
	t.true(compared >= 150, `${compared} headlines had Prodigy annotations`);
	let same = 0;
	const offsets = (task: Task) => JSON.stringify(task.tokens!.map(token => [token.start, token.end]));
	for (const task of exported.filter(task => task.answer === 'accept')) {
		const gold = byText.get(task.text)!;
		if (offsets(task) !== offsets(gold)) {
			continue; // Tokenized differently: counted below.
		}

		// Prodigy's file leaves "spans" out of a headline with no entity; inkling writes "spans": [].
		t.deepEqual(Object.keys(task).sort(), [...new Set([...Object.keys(gold), 'spans'])].sort());
		t.deepEqual(task.tokens, gold.tokens!.map(({
			text, start, end, id,
		}) => ({
			text, start, end, id,
		})));
		// A few of Prodigy's spans carry where a model proposed them (source, input_hash, text): a person's spans do not.
		t.deepEqual(task.spans, (gold.spans ?? []).map(({
			start, end, token_start, token_end, label,
		}) => ({
			start, end, token_start, token_end, label,
		})));
		same++;
	}

	// Every headline whose tokens match Prodigy's (all but those with runs of spaces, & or ´) was compared.
	t.true(same >= compared - 6, `${same} of ${compared}`);
	t.true(same >= 150);
});
