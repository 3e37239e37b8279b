import test from 'ava';
import {abTaskHash} from '../../../source/recipes/eval-ab/answers.js';
import {
	AbReader, modelPairs, sameSpans, type Predict,
} from '../../../source/recipes/eval-ab/reader.js';
import type {AbQuestion} from '../../../source/recipes/eval-ab/types.js';
import {inputHash} from '../../../source/task/hash.js';
import type {Span} from '../../../source/task/task.js';

// The reader with fake models: no tensors. A fake model finds the first word
// as PER; model "blind" finds nothing; "loc" finds the first word as LOC.

const predict: Predict = (model, texts) => texts.map(text => {
	const first = text.indexOf(' ');
	const spans: Record<string, Span[]> = {
		per: [{start: 0, end: first, label: 'PER'}],
		'per-copy': [{start: 0, end: first, label: 'PER'}],
		loc: [{start: 0, end: first, label: 'LOC'}],
		blind: [],
	};
	return spans[model]!;
});

const texts = (count: number) => Array.from({length: count}, (_, index) => ({text: `Name${index} went home. Nobody${index} stayed.`}));

function readAll(reader: AbReader): AbQuestion[] {
	const questions: AbQuestion[] = [];
	for (let batch = reader.next(7); batch; batch = reader.next(7)) {
		questions.push(...batch);
	}

	return questions;
}

test('every pair of models once, in command-line order', t => {
	t.deepEqual(modelPairs(['a', 'b', 'c']), [['a', 'b'], ['a', 'c'], ['b', 'c']]);
});

test('spans are the same when their offsets and labels are, in any order and whatever their scores', t => {
	t.true(sameSpans([{
		start: 0, end: 2, label: 'PER', score: 0.9,
	}, {start: 3, end: 5, label: 'LOC'}], [{start: 3, end: 5, label: 'LOC'}, {
		start: 0, end: 2, label: 'PER', score: 0.6,
	}]));
	t.false(sameSpans([{start: 0, end: 2, label: 'PER'}], [{start: 0, end: 2, label: 'LOC'}]));
	t.false(sameSpans([{start: 0, end: 2, label: 'PER'}], []));
});

test('the side mapping is random per question, uses both sides, and follows the seed', t => {
	const mappings = (seed: number) => readAll(new AbReader(texts(40), {
		models: ['per', 'blind'], labels: ['PER'], skipTasks: new Set(), seed, predict,
	})).map(question => question.mapping['1']);
	const first = mappings(1);
	t.is(first.length, 80, 'every sentence differs: per finds a name, blind nothing');
	const perFirst = first.filter(model => model === 'per').length;
	t.true(perFirst > 25 && perFirst < 55, `per is option 1 in ${perFirst} of 80`);
	t.deepEqual(mappings(1), first, 'the same seed gives the same sides');
	t.notDeepEqual(mappings(2), first, 'another seed gives other sides');
});

test('a question carries both outputs by model, the text of each span, and a hash per sentence and pair', t => {
	const [question] = new AbReader(texts(1), {
		models: ['per', 'blind'], labels: ['PER'], skipTasks: new Set(), seed: 1, predict,
	}).next(1)!;
	t.is(question!.text, 'Name0 went home.');
	t.deepEqual(question!.outputs, {
		per: [{
			start: 0, end: 5, label: 'PER', text: 'Name0',
		}], blind: [],
	});
	t.deepEqual(question!.models, ['per', 'blind']);
	t.is(question!.id, abTaskHash('Name0 went home.', inputHash({text: 'Name0 went home.'}), ['per', 'blind']));
	t.not(question!.id, abTaskHash('Name0 went home.', inputHash({text: 'Name0 went home.'}), ['per', 'loc']));
});

test('sentences where both models agree are not asked, and go with the next question or, at the end, to takeAgreed', t => {
	const reader = new AbReader([{text: 'Ann left.'}, {text: 'Bob left.'}], {
		models: ['per', 'per-copy', 'blind'], labels: ['PER'], skipTasks: new Set(), seed: 1, predict,
	});
	// Pairs take turns: the first sentence goes to (per, per-copy), which agree; the second to (per, blind), which differ.
	const questions = readAll(reader);
	t.deepEqual(questions.map(question => question.models), [['per', 'blind']]);
	t.deepEqual(questions[0]!.agreed.map(agreed => [agreed.text, agreed.models]), [['Ann left.', ['per', 'per-copy']]]);
	t.deepEqual(reader.takeAgreed(), []);
	const twice = new AbReader([{text: 'Ann left.'}, {text: 'Bob left.'}, {text: 'Cy left.'}, {text: 'Di left.'}], {
		models: ['per', 'per-copy'], labels: ['PER'], skipTasks: new Set(), seed: 1, predict,
	});
	t.deepEqual(readAll(twice), [], 'a model agrees with itself on every sentence');
	t.deepEqual(twice.takeAgreed().map(agreed => agreed.text), ['Ann left.', 'Bob left.', 'Cy left.', 'Di left.']);
});

test('spans of labels not compared are left out, so models that differ only there agree', t => {
	const reader = new AbReader(texts(3), {
		models: ['loc', 'blind'], labels: ['PER'], skipTasks: new Set(), seed: 1, predict,
	});
	t.deepEqual(readAll(reader), []);
	t.is(reader.takeAgreed().length, 6);
});

test('pairs take turns sentence by sentence, so each pair gets as many sentences', t => {
	const questions = readAll(new AbReader(texts(30), {
		models: ['per', 'loc', 'blind'], labels: ['PER', 'LOC'], skipTasks: new Set(), seed: 1, predict,
	}));
	const counts = new Map<string, number>();
	for (const question of questions) {
		counts.set(question.models.join(' vs '), (counts.get(question.models.join(' vs ')) ?? 0) + 1);
	}

	t.deepEqual(Object.fromEntries(counts), {'per vs loc': 20, 'per vs blind': 20, 'loc vs blind': 20});
});

test('questions answered before are passed by, and the other sentences keep their pairs', t => {
	const options = {
		models: ['per', 'loc', 'blind'], labels: ['PER', 'LOC'], seed: 1, predict,
	};
	const all = readAll(new AbReader(texts(10), {...options, skipTasks: new Set()}));
	const answered = new Set(all.slice(0, 7).map(question => question.id));
	const rest = readAll(new AbReader(texts(10), {...options, skipTasks: answered}));
	t.deepEqual(rest.map(question => [question.text, question.models]), all.slice(7).map(question => [question.text, question.models]));
});
