import React from 'react';
import test from 'ava';
import {render} from 'ink-testing-library';
import {taskTokens, type EditChannel, type EditEvent} from '../../source/recipes/manual/session.js';
import type {EditItem} from '../../source/recipes/manual/types.js';
import {inputHash} from '../../source/task/hash.js';
import type {Answer, Span} from '../../source/task/task.js';
import type {Done, Editing} from '../../source/ui/edit-reducer.js';
import {EditScreen} from '../../source/ui/EditScreen.js';
import {frame, until} from '../_helpers/until.js';

function item(text: string, spans: Span[] = []): EditItem {
	return {
		text, tokens: taskTokens(text), spans, inputHash: inputHash({text}),
	};
}

/** A channel with no database: it records what the screen saves and takes back. */
class FakeChannel implements EditChannel {
	readonly saved: Array<{text: string; spans: Span[]; answer: Answer}> = [];
	readonly undone: number[] = [];
	#listener: ((event: EditEvent) => void) | undefined;

	/** Whether the screen listens yet: an event sent before it does is lost. */
	get listening() {
		return this.#listener !== undefined;
	}

	subscribe(listener: (event: EditEvent) => void) {
		this.#listener = listener;
		return () => {
			this.#listener = undefined;
		};
	}

	send(event: EditEvent) {
		this.#listener?.(event);
	}

	answer(editing: Editing, answer: Answer) {
		this.saved.push({text: editing.item.text, spans: editing.spans.map(span => ({...span})), answer});
		return this.saved.length;
	}

	undo(done: Done) {
		this.undone.push(done.taskHash);
	}
}

test.serial('keys select, label, delete and accept; the screen shows spans bracketed and saves before moving on', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = render(<EditScreen channel={channel} recipe='manual' dataset='news' labels={['ORG', 'LOC']} answeredBefore={2} onQuit={() => undefined}/>);
	await until(() => channel.listening, 'the screen to listen to the channel');
	t.regex(lastFrame()!, /Reading the source/);
	channel.send({type: 'items', items: [item('Acme Corp opened in Leeds today.'), item('Second text here.')]});
	await frame(lastFrame, /Acme Corp opened/);
	t.regex(lastFrame()!, /1 ORG {2}2 LOC/);
	t.regex(lastFrame()!, /token 1\/7/);
	// Shift+right, then 1: a two-token ORG span.
	stdin.write('\u001B[1;2C');
	await frame(lastFrame, /token 2\/7/);
	t.regex(lastFrame()!, /selected "Acme Corp"/);
	stdin.write('1');
	await frame(lastFrame, /on ORG/);
	t.regex(lastFrame()!, /\[Acme Corp ORG] opened in Leeds/);
	// Move to Leeds and label it, then delete it again with the Delete key, and label it LOC.
	stdin.write('lll');
	await frame(lastFrame, /token 5\/7/);
	t.regex(lastFrame()!, /token 5\/7/);
	stdin.write('1');
	await frame(lastFrame, /token 5\/7 · on ORG/);
	t.regex(lastFrame()!, /\[Leeds ORG]/);
	stdin.write('\u001B[3~');
	// The cursor is on no span once the delete is done.
	await frame(lastFrame, /token 5\/7$/m);
	t.notRegex(lastFrame()!, /\[Leeds ORG]/);
	stdin.write('2');
	await frame(lastFrame, /token 5\/7 · on LOC/);
	t.regex(lastFrame()!, /\[Leeds LOC]/);
	stdin.write('\r');
	// The answer is saved before the screen moves on: it is in the channel once the next text shows.
	await frame(lastFrame, /Second text here/);
	t.deepEqual(channel.saved, [{
		text: 'Acme Corp opened in Leeds today.',
		spans: [{
			start: 0, end: 9, token_start: 0, token_end: 1, label: 'ORG',
		}, {
			start: 20, end: 25, token_start: 4, token_end: 4, label: 'LOC',
		}],
		answer: 'accept',
	}]);
	t.regex(lastFrame()!, /Second text here/);
	t.regex(lastFrame()!, /1 this session: ✓ 1 accept .* 3 in news/);
	// Backspace goes back (not delete): the saved answer is taken back and the example is on screen with its spans.
	stdin.write('\u007F');
	await frame(lastFrame, /Acme Corp/);
	t.deepEqual(channel.undone, [1]);
	t.regex(lastFrame()!, /\[Acme Corp ORG] opened in \[Leeds LOC]/);
	unmount();
});

test.serial('an overlapping label is refused with a message, and an unknown key says where the keys are', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = render(<EditScreen channel={channel} recipe='correct' dataset='news' labels={['ORG']} answeredBefore={0} onQuit={() => undefined}/>);
	channel.send({
		type: 'items', items: [item('Acme Corp opened.', [{
			start: 0, end: 9, token_start: 0, token_end: 1, label: 'ORG',
		}])],
	});
	await frame(lastFrame, /Acme Corp ORG/);
	stdin.write('l');
	await frame(lastFrame, /token 2\/4/);
	stdin.write('\u001B[1;2C');
	await frame(lastFrame, /selected "Corp opened"/);
	stdin.write('1');
	await frame(lastFrame, /Spans cannot overlap/);
	t.regex(lastFrame()!, /Spans cannot overlap: \[Acme Corp ORG] is in the way/);
	stdin.write('z');
	await frame(lastFrame, /does nothing here/);
	t.regex(lastFrame()!, /z does nothing here: \? shows the keys/);
	stdin.write('?');
	await frame(lastFrame, /delete the span/);
	t.regex(lastFrame()!, /Keys/);
	t.regex(lastFrame()!, /d\/del +delete the span under the cursor/);
	unmount();
});
