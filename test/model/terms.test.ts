import test from 'ava';
import {
	TermRanker, termCandidates, termVector, termWords,
} from '../../source/model/terms.js';
import {termVectors} from '../_helpers/term-vectors.js';

const vectors = termVectors();
const all = ['doctor', 'vet', 'surgeon', 'manager', 'director', 'banana', 'apple'];

function ranker(terms = all) {
	return new TermRanker(termCandidates(vectors, terms));
}

test('a term\'s vector is the unit mean of its words\' unit vectors; a word without a vector leaves the term out', t => {
	const vector = termVector(vectors, 'Staff  Nurse')!;
	// (0.707, 0.707, 0) + (1, 0, 0), made unit.
	t.deepEqual([...vector].map(value => Number(value.toFixed(3))), [0.924, 0.383, 0]);
	t.is(termVector(vectors, 'staff porter'), undefined);
	t.is(termVector(vectors, '   '), undefined);
	t.deepEqual(termWords(' Staff Nurse '), ['staff', 'nurse']);
	t.deepEqual(termCandidates(vectors, ['doctor', 'porter', 'Doctor', 'staff nurse']).texts, ['doctor', 'staff nurse']);
});

test('nothing is proposed before a term is accepted; then the nearest term first', t => {
	const terms = ranker();
	t.is(terms.next(), undefined);
	terms.learn('nurse', termVector(vectors, 'nurse'), 'accept');
	const first = terms.next()!;
	t.is(first.text, 'doctor');
	t.is(Number(first.similarity.toFixed(3)), 0.954);
	t.is(first.score, first.similarity);
});

test('an accepted term pulls the proposals toward it; a rejected one pushes its neighbours away', t => {
	const accepting = ranker();
	accepting.learn('nurse', termVector(vectors, 'nurse'), 'accept');
	const surgeonBefore = accepting.scoreOf('surgeon')!;
	accepting.learn('doctor', termVector(vectors, 'doctor'), 'accept');
	t.true(accepting.scoreOf('surgeon')! > surgeonBefore + 0.05);

	const rejecting = ranker();
	rejecting.learn('nurse', termVector(vectors, 'nurse'), 'accept');
	rejecting.learn('doctor', termVector(vectors, 'doctor'), 'reject');
	// Surgeon is doctor's neighbour, vet is not: after the reject, vet comes first.
	t.true(rejecting.scoreOf('surgeon')! < surgeonBefore - 0.3);
	t.is(rejecting.next()!.text, 'vet');
	t.is(rejecting.rejected, 1);
});

test('ignore only marks a term asked; undo takes an answer back exactly', t => {
	const terms = ranker();
	terms.learn('nurse', termVector(vectors, 'nurse'), 'accept');
	const before = all.map(term => terms.scoreOf(term)!);
	terms.learn('doctor', termVector(vectors, 'doctor'), 'ignore');
	t.is(terms.next()!.text, 'vet');
	t.deepEqual(all.map(term => terms.scoreOf(term)!), before);
	terms.learn('doctor', termVector(vectors, 'doctor'), 'ignore', -1);
	terms.learn('doctor', termVector(vectors, 'doctor'), 'reject');
	terms.learn('doctor', termVector(vectors, 'doctor'), 'reject', -1);
	t.is(terms.next()!.text, 'doctor');
	for (const [index, term] of all.entries()) {
		t.true(Math.abs(terms.scoreOf(term)! - before[index]!) < 1e-6, term);
	}
});

test('every candidate is asked once, then nothing is left', t => {
	const terms = ranker(['doctor', 'banana']);
	terms.learn('nurse', termVector(vectors, 'nurse'), 'accept');
	t.is(terms.remaining, 2);
	const asked: string[] = [];
	for (let proposal = terms.next(); proposal; proposal = terms.next()) {
		asked.push(proposal.text);
		terms.learn(proposal.text, termVector(vectors, proposal.text), 'accept');
	}

	t.deepEqual(asked, ['doctor', 'banana']);
	t.is(terms.remaining, 0);
	t.is(terms.scoreOf('porter'), undefined);
});
