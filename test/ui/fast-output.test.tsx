// Ink's colours are on for these frames, so styles are compared too.
import process from 'node:process';
import test from 'ava';
import type React from 'react';
import {frame} from '../_helpers/until.js';

process.env.FORCE_COLOR = '3';

type Frames = Array<string | undefined>;

/** Frames of a teach screen, a screen with clipped boxes, and random styled text, drawn by whatever stage Ink has now. */
async function draw(): Promise<Frames> {
	const {default: React} = await import('react');
	const {Box, Text} = await import('ink');
	const {render} = await import('ink-testing-library');
	const {TeachScreen} = await import('../../source/ui/TeachScreen.js');
	const frames: Frames = [];
	const listeners: Array<(event: any) => void> = [];
	const channel = {
		subscribe(listener: (event: any) => void) {
			listeners.push(listener);
			return () => undefined;
		},
		answer() {
			// Nothing is stored.
		},
		undo() {
			// Nothing is stored.
		},
	};
	const teach = render(<TeachScreen channel={channel} dataset='jobs' answeredBefore={2} rule='rule' onQuit={() => undefined}/>);
	for (const listener of listeners) {
		listener({
			type: 'ready', backend: 'wasm', labels: ['JOB_TITLE', 'ORG'], addedLabels: [],
		});
		const texts = ['We are hiring a Staff Nurse · Band 5 for the ward', 'Senior 日本 Engineer wanted — apply now 😀 today', 'A very long sentence '.repeat(12) + 'with a Data Scientist at the end'];
		listener({
			type: 'questions',
			questions: texts.map((text, id) => {
				const span = text.includes('Nurse') ? 'Staff Nurse' : (text.includes('日本') ? 'Senior 日本 Engineer' : 'Data Scientist');
				const start = text.indexOf(span);
				return {
					id, inputHash: id, text, tokens: [], span: {
						start, end: start + span.length, label: 'JOB_TITLE', text: span,
					}, label: 'JOB_TITLE', score: 0.4 + (id / 10), priority: 1, meta: {},
				};
			}),
		});
	}

	frames.push(await frame(teach.lastFrame, /Staff Nurse/));
	// Each key with what only the frame after it shows.
	const keys: Array<[string, RegExp]> = [['a', /answered 1 this session/], ['x', /answered 2 this session/], [' ', /answered 3 this session/], ['u', /answered 2 this session/], ['?', /Keys/], ['?', /Data Scientist/]];
	for (const [key, after] of keys) {
		teach.stdin.write(key);
		frames.push(await frame(teach.lastFrame, after));
	}

	teach.unmount();
	const clippedView = (
		<Box flexDirection='column'>
			<Box width={12} height={2} overflow='hidden'><Text color='green'>clipped text that runs past its box</Text></Box>
			<Text bold backgroundColor='cyan' color='black'>[span LABEL]</Text>
		</Box>
	);
	const clipped = render(clippedView);
	frames.push(clipped.lastFrame());
	clipped.unmount();
	let seed = 7;
	const random = () => {
		seed = ((seed * 1_103_515_245) + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	const words = ['plain', 'ascii', '·', '✓', '日本語', 'emoji😀', 'end  ', '  ', 'x'];
	const colours = ['red', 'green', undefined, 'cyan'] as const;
	for (let frame = 0; frame < 20; frame++) {
		const lines: React.ReactElement[] = [];
		for (let line = 0; line < 6; line++) {
			const parts = Array.from({length: 1 + Math.floor(random() * 5)}, (_, index) => (
				<Text key={index} color={colours[Math.floor(random() * colours.length)]} bold={random() < 0.3} inverse={random() < 0.2}>
					{words[Math.floor(random() * words.length)]}{' '}
				</Text>
			));
			lines.push(<Box key={line} paddingLeft={Math.floor(random() * 4)}><Text wrap={random() < 0.5 ? 'wrap' : 'truncate'}>{parts}</Text></Box>);
		}

		const view = render(<Box flexDirection='column' width={30}>{lines}</Box>);
		frames.push(view.lastFrame());
		view.unmount();
	}

	return frames;
}

test.serial('the fast output stage draws exactly the frames Ink draws', async t => {
	const before = await draw();
	t.true(before.some(frame => frame?.includes('\u001B[')), 'colours are on, so styles are compared');
	t.true(before[0]!.includes('[Staff Nurse JOB_TITLE]'));
	const {installFastOutput} = await import('../../source/ui/fast-output.js');
	t.true(await installFastOutput());
	t.true(await installFastOutput(), 'a second call keeps it');
	const after = await draw();
	t.is(after.length, before.length);
	for (const [index, frame] of before.entries()) {
		t.is(after[index], frame, `frame ${index}`);
	}
});
