import test from 'ava';
import {loadBackend} from '../../../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../../../source/model/data.js';
import {NerModel} from '../../../source/model/model.js';
import {scoreSentences, trainNetwork} from '../../../source/model/train.js';
import {TeachLoop} from '../../../source/recipes/teach/loop.js';
import type {Question} from '../../../source/recipes/teach/types.js';
import type {Task} from '../../../source/task/task.js';
import {tinyConfig, tinyGold} from '../../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

/** A small PER and LOC model that knows its data: the first two thirds of `tinyGold` trained, the rest held out. */
async function trainedModel(): Promise<{model: NerModel; heldOut: Task[]; trained: Task[]}> {
	const gold = tinyGold();
	const trained = gold.filter((_, index) => index % 3 !== 0);
	const heldOut = gold.filter((_, index) => index % 3 === 0);
	const model = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 5});
	const {sentences} = prepareInputs(mergeAnswers(trained), model.network.config);
	for await (const _ of trainNetwork(model.network, sentences, {
		epochs: 30, learnRate: 0.01, wordDropout: 0, seed: 5,
	})) {
		// Trained to the end.
	}

	model.network.config.threshold = 0.5;
	return {model, heldOut, trained};
}

/** The probability of each gold span of the tasks, by the model. */
function goldProbabilities(model: NerModel, tasks: readonly Task[]): number[] {
	const {sentences} = prepareInputs(mergeAnswers(tasks), model.network.config);
	const scores = scoreSentences(model.network, sentences);
	const {labels} = model.network.config;
	return sentences.flatMap((sentence, s) => sentence.gold!.map(span => {
		const c = sentence.candidates.findIndex(candidate => candidate.start === span.start && candidate.end === span.end);
		return scores[s]![(c * labels.length) + labels.indexOf(span.label)]!;
	}));
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Answer reject to every question that is not a gold span, until `count` rejects, learning as teach does. */
function rejectWrongSpans(model: NerModel, tasks: readonly Task[], count: number, distill?: number): Question[] {
	const isGold = new Map(tasks.map(task => [task.text, new Set(task.spans!.map(span => `${span.start}:${span.end}:${span.label}`))]));
	const loop = new TeachLoop(model.network, tasks.map(task => ({text: task.text})), {
		labels: ['PER', 'LOC'], minPriority: 0, perWindow: 200, perSentence: 8, seed: 2, ...(distill === undefined ? {} : {distill}),
	});
	const rejected: Question[] = [];
	try {
		while (rejected.length < count) {
			const questions = loop.nextWindow();
			if (!questions) {
				break;
			}

			for (const question of questions) {
				if (rejected.length < count && !isGold.get(question.text)!.has(`${question.span.start}:${question.span.end}:${question.label}`)) {
					loop.answer(question, 'reject');
					rejected.push(question);
					if (loop.updateDue) {
						loop.update();
					}
				}
			}
		}

		loop.update();
	} finally {
		loop.dispose();
	}

	return rejected;
}

test('a reject lowers the rejected span\'s probability and leaves the entities of other texts within a bound', async t => {
	const {model, heldOut, trained} = await trainedModel();
	const before = goldProbabilities(model, heldOut);
	const {text} = (trained[0]!);
	const loop = new TeachLoop(model.network, [{text}], {
		labels: ['PER'], minPriority: 0, perWindow: 50, perSentence: 50,
	});
	const questions = loop.nextWindow()!;
	// The wrong span the model likes best.
	const gold = new Set(trained[0]!.spans!.map(span => `${span.start}:${span.end}`));
	const wrong = questions.filter(question => !gold.has(`${question.span.start}:${question.span.end}`)).sort((a, b) => b.score - a.score)[0]!;
	const probability = (question: Question) => loop.rescore([question]).at(0)?.score ?? 0;
	const rejectedBefore = probability(wrong);
	loop.answer(wrong, 'reject');
	loop.update();
	loop.update();
	loop.answer(wrong, 'reject');
	loop.update();
	const rejectedAfter = probability(wrong);
	loop.dispose();
	const after = goldProbabilities(model, heldOut);
	t.true(rejectedAfter < rejectedBefore, `rejected span ${wrong.span.text}: ${rejectedBefore} -> ${rejectedAfter}`);
	const moved = Math.max(...before.map((value, index) => Math.abs(after[index]! - value)));
	t.true(moved < 0.15, `an entity of another text moved by ${moved}`);
	model.dispose();
});

test('learning from 100 rejects of wrong spans does not drive every probability to 0', async t => {
	const {model, heldOut, trained} = await trainedModel();
	const before = goldProbabilities(model, heldOut);
	t.true(mean(before) > 0.5, `the model knows the held-out entities before: mean ${mean(before)}`);
	const rejected = rejectWrongSpans(model, trained, 100);
	t.is(rejected.length, 100);
	const after = goldProbabilities(model, heldOut);
	// The held-out entities are still found: most stay over the threshold, and on average they lose little.
	t.true(after.filter(value => value >= 0.5).length >= before.filter(value => value >= 0.5).length * 0.9, `${after.filter(value => value >= 0.5).length} of ${after.length} over 0.5 after, ${before.filter(value => value >= 0.5).length} before`);
	t.true(mean(after) > mean(before) - 0.1, `mean gold probability ${mean(before)} -> ${mean(after)}`);
	model.dispose();
});
