import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {termCandidates} from '../../source/model/terms.js';
import {
	patternsOfTerms, sourceTerms, tableTerms, termTask, TermsSession,
} from '../../source/recipes/terms.js';
import {readPatterns} from '../../source/recipes/teach/patterns.js';
import {termRows, termVectors} from '../_helpers/term-vectors.js';
import {temporaryFolder} from '../_helpers/temp.js';

const vectors = termVectors();
const candidates = termCandidates(vectors, ['doctor', 'vet', 'surgeon', 'manager', 'banana']);

test('seeds start the session, and are the terms it adds to the dataset; a seed without a vector is one clear line', t => {
	const session = new TermsSession({
		vectors, candidates, seeds: ['nurse', 'Staff Nurse'], answered: [],
	});
	t.deepEqual(session.newSeeds, ['nurse', 'staff nurse']);
	t.is(session.accepted, 2);
	t.is(session.next()!.text, 'doctor');
	t.throws(() => new TermsSession({
		vectors, candidates, seeds: ['nurse', 'night porter'], answered: [],
	}), {message: '--seeds: "night porter" has no vector ("night", "porter" not in the table): choose another seed.'});
	t.throws(() => new TermsSession({
		vectors, candidates, seeds: [], answered: [],
	}), {message: 'No accepted terms to start from: give some with --seeds "nurse,manager,engineer".'});
});

test('a dataset\'s earlier answers are replayed: asked terms are not asked again, and the same seeds are not added twice', t => {
	const session = new TermsSession({
		vectors,
		candidates,
		seeds: ['nurse'],
		answered: [{text: 'nurse', answer: 'accept'}, {text: 'doctor', answer: 'reject'}, {text: 'surgeon', answer: 'ignore'}],
	});
	t.deepEqual(session.newSeeds, []);
	t.is(session.rejected, 1);
	t.is(session.next()!.text, 'vet');
});

test('answers move the next proposal, and undo brings back the term it took back', t => {
	const session = new TermsSession({
		vectors, candidates, seeds: ['nurse'], answered: [],
	});
	const doctor = session.next()!;
	session.answer(doctor, 'reject');
	t.is(session.next()!.text, 'vet');
	t.deepEqual(session.undo(), {text: 'doctor', answer: 'reject', score: doctor.score});
	t.is(session.next()!.text, 'doctor');
	t.is(session.undo(), undefined);
	t.deepEqual(termTask(doctor, 'accept'), {text: 'doctor', answer: 'accept', meta: {score: Number(doctor.score.toFixed(4))}});
});

test('the table\'s candidates are its words in order, without numbers or punctuation', t => {
	const table = termVectors([['the', [1, 0, 0]], [',', [0, 1, 0]], ['1990', [0, 0, 1]], ['x', [1, 1, 0]], ['co-op', [0, 1, 1]], ['nurse', [1, 0, 1]]]);
	t.deepEqual(tableTerms(table, 10), ['the', 'co-op', 'nurse']);
	t.deepEqual(tableTerms(table, 2), ['the', 'co-op']);
});

test('a source\'s candidates are its words and phrases used often enough, most used first, none starting or ending with a common word', t => {
	// 200 common words first, as a frequency-ordered table has them.
	const common = Array.from({length: 200}, (_, index): [string, number[]] => [index === 0 ? 'the' : `common${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + Math.floor(index / 26))}`, [0.5, 0.5, 0.5]]);
	const table = termVectors([...common, ...termRows]);
	const file = path.join(temporaryFolder(t), 'ads.jsonl');
	fs.writeFileSync(file, [
		'The staff nurse met the manager.',
		'A staff nurse and a vet.',
		'The staff nurse saw 3 doctors.',
	].map(text => JSON.stringify({text})).join('\n'));
	const terms = sourceTerms(file, table, {minCount: 2, limit: 100});
	// Equal counts keep the order they were first seen in.
	t.deepEqual(terms, ['staff', 'staff nurse', 'nurse']);
	t.true(sourceTerms(file, table, {minCount: 1, limit: 100}).includes('manager'));
	t.false(sourceTerms(file, table, {minCount: 1, limit: 100}).some(term => term.startsWith('the ') || term.endsWith(' the')));
	t.is(sourceTerms(file, table, {minCount: 1, limit: 2}).length, 2);
});

test('accepted terms become a patterns file that teach reads; the latest answer to a term counts', t => {
	const patterns = patternsOfTerms([
		{text: 'nurse', answer: 'accept'},
		{text: 'staff nurse', answer: 'accept'},
		{text: 'banana', answer: 'accept'},
		{text: 'banana', answer: 'reject'},
		{text: 'doctor', answer: 'reject'},
		{text: 'vet', answer: 'ignore'},
	], 'JOB_TITLE');
	t.deepEqual(patterns, [
		{label: 'JOB_TITLE', pattern: [{lower: 'nurse'}]},
		{label: 'JOB_TITLE', pattern: [{lower: 'staff'}, {lower: 'nurse'}]},
	]);
	const file = path.join(temporaryFolder(t), 'patterns.jsonl');
	fs.writeFileSync(file, patterns.map(pattern => JSON.stringify(pattern)).join('\n'));
	t.deepEqual(readPatterns(file).map(pattern => [pattern.label, pattern.source]), [['JOB_TITLE', 'nurse'], ['JOB_TITLE', 'staff nurse']]);
});
