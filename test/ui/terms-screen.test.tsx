import React from 'react';
import test from 'ava';
import {render} from 'ink-testing-library';
import {termCandidates, type TermProposal} from '../../source/model/terms.js';
import {TermsSession} from '../../source/recipes/terms.js';
import type {Answer} from '../../source/task/task.js';
import {TermsScreen, type TermsChannel} from '../../source/ui/TermsScreen.js';
import type {TermsState} from '../../source/ui/terms-reducer.js';
import {termVectors} from '../_helpers/term-vectors.js';
import {frame} from '../_helpers/until.js';

/** A real session over the tiny vectors; what would be saved is recorded instead. */
function channelOf(terms: string[]) {
	const vectors = termVectors();
	const session = new TermsSession({
		vectors, candidates: termCandidates(vectors, terms), seeds: ['nurse'], answered: [],
	});
	const saved: Array<[string, Answer]> = [];
	const channel: TermsChannel = {
		next: () => session.next(),
		answer(proposal: TermProposal, answer: Answer) {
			session.answer(proposal, answer);
			saved.push([proposal.text, answer]);
		},
		undo() {
			saved.pop();
			return session.undo();
		},
	};
	return {channel, saved};
}

function screen(channel: TermsChannel, onQuit: (state: TermsState) => void = () => undefined) {
	return render(<TermsScreen channel={channel} dataset='jobs_terms' acceptedBefore={1} answeredBefore={1} hasColor={false} onQuit={onQuit}/>);
}

const proposed = (drawn: string) => drawn.split('\n')[2]!.trim();

test.serial('the nearest term shows first, with its similarity, the counts and the keys', async t => {
	const {channel} = channelOf(['doctor', 'vet', 'banana']);
	const {lastFrame, unmount} = screen(channel);
	const drawn = await frame(lastFrame, /doctor/);
	t.is(proposed(drawn), 'doctor');
	t.regex(drawn, /similarity 0\.95 to the accepted terms · score 0\.95/);
	t.regex(drawn, /answered 0 this session: ✓ 0 accept · ✗ 0 reject · · 0 ignore/);
	t.regex(drawn, /1 accepted term in all · 1 answer in jobs_terms/);
	t.regex(drawn, /a accept · x reject · space ignore · u\/⌫ undo · \? help · q quit/);
	unmount();
});

test.serial('reject moves the proposals away from the rejected term; accept and ignore are saved and listed', async t => {
	const {channel, saved} = channelOf(['doctor', 'vet', 'surgeon', 'banana']);
	const {lastFrame, stdin, unmount} = screen(channel);
	await frame(lastFrame, /doctor/);
	stdin.write('x');
	// Without the reject, surgeon would follow doctor (see the ranker's tests); after it, vet does.
	t.is(proposed(await frame(lastFrame, /answered 1 this session/)), 'vet');
	stdin.write('a');
	await frame(lastFrame, /answered 2 this session/);
	stdin.write(' ');
	const drawn = await frame(lastFrame, /answered 3 this session: ✓ 1 accept · ✗ 1 reject · · 1 ignore/);
	t.deepEqual(saved.map(([text, answer]) => `${answer} ${text}`), ['reject doctor', 'accept vet', `ignore ${saved[2]![0]}`]);
	t.regex(drawn, /✓ accept vet/);
	t.regex(drawn, /✗ reject doctor/);
	t.regex(drawn, /2 accepted terms in all · 4 answers in jobs_terms/);
	unmount();
});

test.serial('u takes back the latest answer and asks that term again; with nothing to undo it says so', async t => {
	const {channel, saved} = channelOf(['doctor', 'vet', 'banana']);
	const {lastFrame, stdin, unmount} = screen(channel);
	await frame(lastFrame, /doctor/);
	stdin.write('u');
	await frame(lastFrame, /Nothing to undo in this session\./);
	stdin.write('x');
	await frame(lastFrame, /answered 1 this session/);
	stdin.write('u');
	const drawn = await frame(lastFrame, /Undone: reject of "doctor"\./);
	t.is(proposed(drawn), 'doctor');
	t.regex(drawn, /answered 0 this session/);
	t.deepEqual(saved, []);
	unmount();
});

test.serial('? shows the help, where answer keys do nothing; every term asked, the screen says so; q quits', async t => {
	const {channel, saved} = channelOf(['doctor']);
	let quit: TermsState | undefined;
	const {lastFrame, stdin, unmount} = screen(channel, state => {
		quit = state;
	});
	await frame(lastFrame, /doctor/);
	stdin.write('?');
	await frame(lastFrame, /Accept a term that belongs with the seeds/);
	stdin.write('a');
	stdin.write('?');
	await frame(lastFrame, /similarity/);
	t.deepEqual(saved, []);
	stdin.write('a');
	await frame(lastFrame, /No more terms to propose: every candidate was asked\. Press q to quit\./);
	stdin.write('q');
	t.is(quit?.counts.accept, 1);
	unmount();
});
