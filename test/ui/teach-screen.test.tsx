import React from 'react';
import test from 'ava';
import {render} from 'ink-testing-library';
import {selectionRule} from '../../source/recipes/teach/selection.js';
import type {TeachChannel, TeachEvent} from '../../source/recipes/teach/session.js';
import type {Question} from '../../source/recipes/teach/types.js';
import type {Answer} from '../../source/task/task.js';
import {TeachScreen} from '../../source/ui/TeachScreen.js';
import type {TeachState} from '../../source/ui/teach-reducer.js';
import {frame, until} from '../_helpers/until.js';

function question(id: number, text: string, span: string, score = 0.42): Question {
	const start = text.indexOf(span);
	return {
		id, inputHash: id, text, tokens: [], span: {
			start, end: start + span.length, label: 'JOB_TITLE', token_start: 0, token_end: 0, text: span,
		}, label: 'JOB_TITLE', score, priority: 1, meta: {},
	};
}

/** A channel with no model and no database: it records what the screen asks of it. */
class FakeChannel implements TeachChannel {
	readonly answers: Array<[number, Answer]> = [];
	readonly undone: number[] = [];
	#listener: ((event: TeachEvent) => void) | undefined;

	/** Whether the screen listens yet: an event sent before it does is lost. */
	get listening() {
		return this.#listener !== undefined;
	}

	subscribe(listener: (event: TeachEvent) => void) {
		this.#listener = listener;
		return () => {
			this.#listener = undefined;
		};
	}

	send(event: TeachEvent) {
		this.#listener?.(event);
	}

	answer(question: Question, answer: Answer) {
		this.answers.push([question.id, answer]);
	}

	undo(question: Question) {
		this.undone.push(question.id);
	}
}

function screen(channel: FakeChannel, onQuit: (state: TeachState) => void = () => undefined) {
	return render(<TeachScreen channel={channel} dataset='jobs' answeredBefore={5} rule='the rule' onQuit={onQuit}/>);
}

test.serial('the question shows its span in brackets with the label and probability', async t => {
	const channel = new FakeChannel();
	const {lastFrame, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	t.regex(lastFrame()!, /reading ahead/);
	channel.send({
		type: 'ready', backend: 'wasm', labels: ['JOB_TITLE'], addedLabels: [],
	});
	channel.send({type: 'questions', questions: [question(1, 'We need a Staff Nurse today.', 'Staff Nurse', 0.53)], replace: false});
	const drawn = await frame(lastFrame, /Staff Nurse/);
	t.true(drawn.includes('We need a [Staff Nurse JOB_TITLE] today.'), drawn);
	t.regex(drawn, /JOB_TITLE {2}probability 0\.53/);
	t.regex(drawn, /model on wasm/);
	t.regex(drawn, /a accept · x reject · space ignore · u\/⌫ undo · \? help · q quit/);
	unmount();
});

test.serial('keys answer, move on, and undo; the answer reaches the channel before the screen moves', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, 'A Sous Chef wanted.', 'Sous Chef'), question(2, 'Our Head of Finance retires.', 'Head of Finance'), question(3, 'Drivers wanted.', 'Drivers')], replace: false});
	await frame(lastFrame, /\[Sous Chef JOB_TITLE]/);
	stdin.write('a');
	// The answer is saved before the screen moves on: it is in the channel once the screen counts it.
	await frame(lastFrame, /answered 1 this session/);
	t.deepEqual(channel.answers, [[1, 'accept']]);
	t.true(lastFrame()!.includes('[Head of Finance JOB_TITLE]'));
	stdin.write('x');
	await frame(lastFrame, /answered 2 this session/);
	stdin.write(' ');
	await frame(lastFrame, /answered 3 this session/);
	t.deepEqual(channel.answers, [[1, 'accept'], [2, 'reject'], [3, 'ignore']]);
	t.regex(lastFrame()!, /answered 3 this session: ✓ 1 accept · ✗ 1 reject · · 1 ignore · 8 in jobs/);
	t.regex(lastFrame()!, /✗ reject Head of Finance/);
	stdin.write('u');
	await frame(lastFrame, /answered 2 this session/);
	t.deepEqual(channel.undone, [3]);
	t.true(lastFrame()!.includes('[Drivers JOB_TITLE]'));
	t.regex(lastFrame()!, /answered 2 this session/);
	unmount();
});

test.serial('escape sequences in a text are drawn as visible placeholders', async t => {
	const channel = new FakeChannel();
	const {lastFrame, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, 'Evil \u001B]0;owned\u0007 text \u001B[2J for a Nurse.', 'Nurse')], replace: false});
	const drawn = await frame(lastFrame, /\[Nurse JOB_TITLE]/);
	t.false(drawn.includes('\u001B]0;owned'));
	t.false(drawn.includes('\u001B[2J'));
	t.true(drawn.includes('␛]0;owned␇ text ␛[2J'), drawn);
	unmount();
});

test.serial('q hands the state to onQuit; ? shows the keys and the rule', async t => {
	const channel = new FakeChannel();
	let quit: TeachState | undefined;
	const {lastFrame, stdin, unmount} = screen(channel, state => {
		quit = state;
	});
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, 'A Sous Chef wanted.', 'Sous Chef')], replace: false});
	await frame(lastFrame, /Sous Chef/);
	stdin.write('?');
	await frame(lastFrame, /Keys/);
	t.regex(lastFrame()!, /the rule/);
	stdin.write('?');
	stdin.write('a');
	await until(() => channel.answers.length > 0, 'the answer a gives');
	stdin.write('q');
	await until(() => quit !== undefined, 'q to call onQuit');
	t.is(quit?.counts.accept, 1);
	unmount();
});

test.serial('a model update shows the loss trend and live F1, and warns when F1 fell below the start', async t => {
	const channel = new FakeChannel();
	const {lastFrame, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({
		type: 'ready', backend: 'cpu', labels: ['JOB_TITLE'], addedLabels: [],
	});
	channel.send({
		type: 'status', status: {
			updates: 4, losses: [0.5, 0.4, 0.3, 0.2], trained: 16, f1: 0.61, startF1: 0.6,
		},
	});
	await frame(lastFrame, /4 updates/);
	t.regex(lastFrame()!, /model on cpu · 4 updates, loss 0\.200 ↓ · gold F1 0\.610 \(start 0\.600\)/);
	t.notRegex(lastFrame()!, /got worse/);
	channel.send({
		type: 'status', status: {
			updates: 5, losses: [0.5, 0.4, 0.3, 0.2, 0.25], trained: 20, f1: 0.5, startF1: 0.6,
		},
	});
	await frame(lastFrame, /5 updates/);
	t.regex(lastFrame()!, /⚠ gold F1 0\.500 is below the start \(0\.600\)/);
	unmount();
});

test.serial('? at 80x24 keeps the keys and what accept means on screen, and cuts the selection rule with a pointer to --help', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = render(<TeachScreen channel={channel} dataset='jobs' answeredBefore={0} rule={selectionRule} onQuit={() => undefined}/>);
	channel.send({type: 'questions', questions: [question(1, 'A Sous Chef wanted.', 'Sous Chef')], replace: false});
	await frame(lastFrame, /Sous Chef/);
	stdin.write('?');
	const drawn = await frame(lastFrame, /Keys/);
	const lines = drawn.split('\n');
	t.true(lines.length <= 24, `${lines.length} lines:\n${drawn}`);
	t.regex(drawn, /^ Keys$/m);
	t.regex(drawn, /a accept · x reject · space ignore/);
	t.regex(drawn, /Accept only when the highlighted span is exactly one whole entity/);
	t.regex(drawn, /… \(`inkling teach --help` has the whole rule\)/);
	unmount();
});
