import {EventEmitter} from 'node:events';
import {Writable} from 'node:stream';
import React from 'react';
import {render} from 'ink';
import type {TeachChannel, TeachEvent} from '../recipes/teach/session.js';
import type {Question} from '../recipes/teach/types.js';
import {speedUpOn} from '../speed-ups.js';
import {installFastOutput} from './fast-output.js';
import {TeachScreen} from './TeachScreen.js';

// The first keys of a session ran the screen's code cold: interpreted, before
// V8 had compiled it, they took 2-3 times as long as later keys (about 10 ms
// against 4 on a 2-core machine). While the model's thread loads the model,
// this thread draws the teach screen unseen, into a terminal that is not
// there, and presses keys on it: the code is compiled before the first real key.

const sentences = [
	'We are looking for an experienced Senior Software Engineer to join the platform team in Leeds.',
	'The Night Shift Supervisor reports to the Warehouse Manager.',
	'Applications close on Friday.',
	'As Head of Finance you will lead a team of six accountants, prepare the annual budget and advise the board on long-term investment and risk.',
	'Our clinic needs a part-time Dental Nurse – é, ü and 日本 in the text too.',
	'Contact the Recruitment Coordinator for details.',
];

function question(index: number): Question {
	const text = sentences[index % sentences.length]!;
	const words = [...text.matchAll(/\S+/gu)];
	const first = words[(index * 5) % words.length]!;
	const last = words[Math.min(words.length - 1, words.indexOf(first) + (index % 3))]!;
	const start = first.index;
	const end = last.index + last[0].length;
	return {
		id: -(index + 1),
		inputHash: -(index + 1),
		text,
		tokens: [],
		span: {
			start, end, label: 'LABEL', token_start: 0, token_end: 0, text: text.slice(start, end),
		},
		label: 'LABEL',
		score: ((index * 37) % 100) / 100,
		priority: 1,
		...(index % 4 === 0 ? {pattern: `{"lower": "${first[0].toLowerCase()}"}`} : {}),
		meta: {},
	};
}

/** A channel with no model and no store: each answer brings one more made-up question. */
class WarmChannel implements TeachChannel {
	#listener: ((event: TeachEvent) => void) | undefined;
	#next = 0;

	subscribe(listener: (event: TeachEvent) => void): () => void {
		this.#listener = listener;
		listener({
			type: 'ready', backend: 'wasm', labels: ['LABEL'], addedLabels: [],
		});
		listener({type: 'questions', questions: this.#take(24), replace: false});
		return () => {
			this.#listener = undefined;
		};
	}

	answer(): void {
		this.#listener?.({type: 'questions', questions: this.#take(1), replace: false});
	}

	undo(): void {
		// The screen shows the question again; nothing to take back.
	}

	status(updates: number): void {
		this.#listener?.({type: 'status', status: {updates, losses: [0.5, 0.4, 0.45].slice(0, updates), trained: updates * 4}});
	}

	#take(count: number): Question[] {
		return Array.from({length: count}, () => question(this.#next++));
	}
}

/** A terminal's input that nobody types on: the keys are pushed in. */
// eslint-disable-next-line unicorn/prefer-event-target -- Ink listens to stdin as a Node stream
class QuietInput extends EventEmitter {
	get isTTY(): boolean {
		return true;
	}

	#pending: string | undefined;

	setRawMode(): this {
		return this;
	}

	setEncoding(): this {
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}

	resume(): this {
		return this;
	}

	pause(): this {
		return this;
	}

	read(): string | null {
		const pending = this.#pending ?? null;
		this.#pending = undefined;
		if (pending !== null) {
			// As a Node stream does for each chunk read() hands over: the screens read their keys from these events.
			this.emit('data', pending);
		}

		return pending;
	}

	press(key: string): void {
		this.#pending = key;
		this.emit('readable');
	}
}

/**
 * Draw the teach screen unseen and answer `presses` made-up questions (with
 * an undo, the help and a status line among them), stopping early once
 * `stop()` is true (the real questions have come). Returns the keys pressed
 * and the frames with a question drawn.
 */
export async function warmUpTeachScreen(options: {columns: number; rows: number; hasColor: boolean; presses?: number; stop?: () => boolean}): Promise<{pressed: number; frames: number}> {
	if (speedUpOn('fast-output')) {
		await installFastOutput();
	}

	let onFrame: (() => void) | undefined;
	let frames = 0;
	const output = Object.assign(new Writable({
		write(chunk, _encoding, callback) {
			if (String(chunk).includes('probability')) {
				frames++;
			}

			onFrame?.();
			callback();
		},
	}), {columns: options.columns, rows: options.rows, isTTY: true});
	const input = new QuietInput();
	const channel = new WarmChannel();
	const app = render(<TeachScreen channel={channel} dataset='warm-up' answeredBefore={0} rule='' hasColor={options.hasColor} onQuit={() => undefined}/>, {
		stdout: output as unknown as NodeJS.WriteStream,
		stdin: input as unknown as NodeJS.ReadStream,
		exitOnCtrlC: false,
		maxFps: 0,
		patchConsole: false,
	});
	/** Press a key and wait for its frame (or, for a key that changes nothing on screen, a moment). */
	const press = async (key: string) => new Promise<void>(resolve => {
		const done = () => {
			onFrame = undefined;
			clearTimeout(timer);
			resolve();
		};

		const timer = setTimeout(done, 50);
		onFrame = done;
		input.press(key);
	});

	const keys = ['x', 'a', 'x', ' ', 'x', 'u', 'a', 'x', 'x', '?', '?', 'x'];
	let pressed = 0;
	try {
		for (; pressed < (options.presses ?? 30) && !options.stop?.(); pressed++) {
			if (pressed % 10 === 9) {
				channel.status(Math.min(3, Math.ceil(pressed / 10)));
			}

			// eslint-disable-next-line no-await-in-loop -- one key at a time, as a person presses them
			await press(keys[pressed % keys.length]!);
		}
	} finally {
		app.unmount();
	}

	return {pressed, frames};
}
