import test from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../../source/model/data.js';
import {OnlineLearner} from '../../source/model/online.js';
import {seededRandom} from '../../source/model/random.js';
import {scoreSentences} from '../../source/model/train.js';
import {tinyModel} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

const text = 'Yesterday Anna Berg met the mayor of Oslo .';
// A span with the model's score: a yes/no answer, as teach stores it (see `isBinary`).
const anna = {
	start: 10, end: 19, label: 'PER', score: 0.5,
};

function sentenceWith(answer: 'accept' | 'reject', model: ReturnType<typeof tinyModel>) {
	return prepareInputs(mergeAnswers([{text, spans: [anna], answer}]), model.network.config).sentences;
}

function probabilityOfAnna(model: ReturnType<typeof tinyModel>): number {
	const sentences = sentenceWith('accept', model);
	const c = sentences[0]!.candidates.findIndex(candidate => candidate.start === 1 && candidate.end === 2);
	return scoreSentences(model.network, sentences)[0]![(c * model.labels.length) + model.labels.indexOf('PER')]!;
}

test('an accepted span becomes more likely, and then, rejected, less likely', t => {
	const model = tinyModel(3);
	const learner = new OnlineLearner(model.network, {
		steps: 3, learnRate: 0.01, dropout: 0, distill: 0.1,
	});
	const random = seededRandom(1);
	const start = probabilityOfAnna(model);
	for (let update = 0; update < 3; update++) {
		const loss = learner.learn(sentenceWith('accept', model), random);
		t.true(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
	}

	const accepted = probabilityOfAnna(model);
	t.true(accepted > start + 0.1, `accepted: ${start.toFixed(3)} -> ${accepted.toFixed(3)}`);
	for (let update = 0; update < 3; update++) {
		learner.learn(sentenceWith('reject', model), random);
	}

	const rejected = probabilityOfAnna(model);
	t.true(rejected < accepted - 0.1, `rejected: ${accepted.toFixed(3)} -> ${rejected.toFixed(3)}`);
	learner.dispose();
	model.dispose();
});

test('sentences without candidates teach nothing and move no weight', t => {
	const model = tinyModel(3);
	const learner = new OnlineLearner(model.network, {
		steps: 3, learnRate: 0.01, dropout: 0, distill: 0.1,
	});
	const before = probabilityOfAnna(model);
	t.is(learner.learn([], seededRandom(1)), 0);
	t.is(probabilityOfAnna(model), before);
	learner.dispose();
	model.dispose();
});
