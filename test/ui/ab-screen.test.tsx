import {EventEmitter} from 'node:events';
import React from 'react';
import test from 'ava';
import {render as inkRender} from 'ink';
import {render} from 'ink-testing-library';
import {winnerOf} from '../../source/recipes/eval-ab/answers.js';
import type {AbChannel, AbEvent} from '../../source/recipes/eval-ab/session.js';
import type {AbChoice, AbQuestion} from '../../source/recipes/eval-ab/types.js';
import {AbScreen} from '../../source/ui/AbScreen.js';
import type {AbState} from '../../source/ui/ab-reducer.js';
import {frame, until} from '../_helpers/until.js';

const alpha = 'models/alpha';
const beta = 'models/beta';

/** A question where alpha finds "Anna Smith" and beta finds nothing; option 1 shows `first`. */
function question(id: number, first: string): AbQuestion {
	const text = `Anna Smith works in Leeds, says report ${id}.`;
	return {
		id,
		inputHash: id,
		text,
		meta: {},
		models: [alpha, beta],
		mapping: first === alpha ? {1: alpha, 2: beta} : {1: beta, 2: alpha},
		outputs: {[alpha]: [{start: 0, end: 10, label: 'PER'}], [beta]: []},
		agreed: [],
	};
}

/** A channel with no models and no database: it records what the screen asks of it. */
class FakeChannel implements AbChannel {
	readonly answers: Array<{id: number; choice: AbChoice; winner: string}> = [];
	readonly undone: number[] = [];
	#listener: ((event: AbEvent) => void) | undefined;

	/** Whether the screen listens yet: an event sent before it does is lost. */
	get listening() {
		return this.#listener !== undefined;
	}

	subscribe(listener: (event: AbEvent) => void) {
		this.#listener = listener;
		return () => {
			this.#listener = undefined;
		};
	}

	send(event: AbEvent) {
		this.#listener?.(event);
	}

	answer(question: AbQuestion, choice: AbChoice) {
		this.answers.push({id: question.id, choice, winner: winnerOf(question, choice)});
	}

	undo(question: AbQuestion) {
		this.undone.push(question.id);
	}
}

function screen(channel: FakeChannel, onQuit: (state: AbState) => void = () => undefined) {
	return render(<AbScreen channel={channel} dataset='ab' models={[alpha, beta]} labels={['PER']} earlier={[]} identicalBefore={2} hasColor={false} onQuit={onQuit}/>);
}

/** The lines of a frame that draw option 1 and option 2. */
function optionLines(frame: string): {one: string; two: string} {
	const lines = frame.split('\n');
	return {one: lines.find(line => line.startsWith(' 1 '))!, two: lines.find(line => line.startsWith(' 2 '))!};
}

test.serial('both outputs show, labelled 1 and 2, with spans in brackets and no model name beside them', async t => {
	const channel = new FakeChannel();
	const {lastFrame, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	t.regex(lastFrame()!, /reading ahead/);
	channel.send({type: 'ready', backend: 'wasm'});
	channel.send({type: 'questions', questions: [question(1, beta)]});
	const drawn = await frame(lastFrame, /report 1\./);
	const {one, two} = optionLines(drawn);
	t.is(one.trim(), '1  Anna Smith works in Leeds, says report 1.', drawn);
	t.is(two.trim(), '2  [Anna Smith PER] works in Leeds, says report 1.', drawn);
	t.false(drawn.includes('alpha') || drawn.includes('beta'), 'no model name anywhere on the screen');
	t.regex(drawn, /2 models, 0 preferences so far: wins and verdict in the summary \(q\), so the test stays blind/);
	t.regex(drawn, /1\/← 1 wins · 2\/→ 2 wins · = tie · space skip · u\/⌫ undo · \? help · q quit/);
	unmount();
});

test.serial('keys pick the model shown on that side, whichever side it is on', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, alpha), question(2, beta), question(3, beta), question(4, alpha), question(5, alpha), question(6, beta)]});
	// Always the option with the bracket, that is alpha's: by 1, 2, ← and →.
	for (const [index, [key, side]] of ([['1', '1'], ['2', '2'], ['\u001B[C', '2'], ['\u001B[D', '1']] as const).entries()) {
		const {one} = optionLines(await frame(lastFrame, new RegExp(String.raw`report ${index + 1}\.`)));
		t.is(one.includes('['), side === '1', `option ${side} has the bracket`);
		stdin.write(key);
	}

	await frame(lastFrame, /report 5\./);
	stdin.write('=');
	await frame(lastFrame, /report 6\./);
	stdin.write(' ');
	// Each answer is saved before the screen moves on, so all six are in once the screen counts them.
	const drawn = await frame(lastFrame, /answered 6 this session/);
	t.deepEqual(channel.answers.map(answer => [answer.id, answer.choice, answer.winner]), [
		[1, '1', alpha], [2, '2', alpha], [3, '2', alpha], [4, '1', alpha], [5, 'tie', 'tie'], [6, 'skip', 'skip'],
	]);
	t.regex(drawn, /answered 6 this session · 1 tie · 1 skipped · 2 identical skipped · 6 answers in ab/);
	// Which model won is not shown while answering: a judge who saw it would know the sides of the question an undo brings back.
	t.false(drawn.includes('alpha') || drawn.includes('beta'));
	t.regex(drawn, /2 models, 4 preferences so far/);
	unmount();
});

test.serial('u and backspace undo the latest answers, in order', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, alpha), question(2, beta), question(3, alpha)]});
	await frame(lastFrame, /report 1\./);
	stdin.write('1');
	await frame(lastFrame, /report 2\./);
	stdin.write('2');
	await frame(lastFrame, /report 3\./);
	stdin.write('u');
	await frame(lastFrame, /answered 1 this session/);
	t.deepEqual(channel.undone, [2]);
	t.regex(lastFrame()!, /report 2\./);
	stdin.write('\u007F');
	await frame(lastFrame, /answered 0 this session/);
	t.deepEqual(channel.undone, [2, 1]);
	t.regex(lastFrame()!, /answered 0 this session/);
	t.regex(lastFrame()!, /report 1\./);
	unmount();
});

test.serial('keys typed in one burst answer one question each', async t => {
	const channel = new FakeChannel();
	const {lastFrame, stdin, unmount} = screen(channel);
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, alpha), question(2, beta), question(3, alpha)]});
	await frame(lastFrame, /report 1\./);
	stdin.write('12=');
	await until(() => channel.answers.length >= 3, 'three answers from one burst of three keys');
	t.deepEqual(channel.answers.map(answer => [answer.id, answer.winner]), [[1, alpha], [2, alpha], [3, 'tie']]);
	unmount();
});

test.serial('q hands the state to onQuit; ? shows the keys and mentions eval --compare', async t => {
	const channel = new FakeChannel();
	let quit: AbState | undefined;
	const {lastFrame, stdin, unmount} = screen(channel, state => {
		quit = state;
	});
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, alpha)]});
	await frame(lastFrame, /report 1\./);
	stdin.write('?');
	await frame(lastFrame, /Keys/);
	t.regex(lastFrame()!, /never shown/);
	t.regex(lastFrame()!, /--compare/);
	stdin.write('?');
	stdin.write('2');
	await until(() => channel.answers.length > 0, 'the answer 2 gives');
	stdin.write('q');
	await until(() => quit !== undefined, 'q to call onQuit');
	t.deepEqual(quit?.answers, [{winner: beta, models: [alpha, beta]}]);
	unmount();
});

test.serial('a wide terminal shows the options side by side', async t => {
	// Ink reads and writes Node streams: these are the least of them, 180 columns wide.
	const frames: string[] = [];
	// eslint-disable-next-line unicorn/prefer-event-target
	const stdout = Object.assign(new EventEmitter(), {
		columns: 180,
		rows: 30,
		write(frame: string) {
			frames.push(frame);
		},
	});
	const nothing = () => undefined;
	// eslint-disable-next-line unicorn/prefer-event-target
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true, setEncoding: nothing, setRawMode: nothing, resume: nothing, pause: nothing, ref: nothing, unref: nothing, read: () => null,
	});
	const channel = new FakeChannel();
	const app = inkRender(<AbScreen channel={channel} dataset='ab' models={[alpha, beta]} labels={['PER']} earlier={[]} identicalBefore={0} hasColor={false} onQuit={() => undefined}/>, {
		stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
	});
	await until(() => channel.listening, 'the screen to listen to the channel');
	channel.send({type: 'questions', questions: [question(1, alpha)]});
	const drawn = await frame(() => frames.at(-1), /report 1\./);
	const line = drawn.split('\n').find(line => line.startsWith(' 1 '))!;
	t.regex(line, /^ 1 {2}\[Anna Smith PER] works in Leeds, says report 1\. +2 {2}Anna Smith works in Leeds/);
	app.unmount();
});
