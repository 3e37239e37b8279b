import test from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../../source/model/data.js';
import {evaluateSentences} from '../../source/model/evaluate.js';
import {NerModel} from '../../source/model/model.js';
import {trainNetwork} from '../../source/model/train.js';
import {tinyConfig, tinyGold} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

/** A small model trained briefly, so its spans' probabilities spread over the thresholds, and the gold it is scored on. */
async function halfTrained() {
	const gold = tinyGold();
	const model = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 2});
	const train = prepareInputs(mergeAnswers(gold.filter((_, index) => index % 2 === 0)), model.network.config);
	for await (const _ of trainNetwork(model.network, train.sentences, {
		epochs: 6, learnRate: 0.01, wordDropout: 0, seed: 2,
	})) {
		// Trained to the end.
	}

	return {model, held: prepareInputs(mergeAnswers(gold.filter((_, index) => index % 2 === 1)), model.network.config)};
}

test('tuning picks the threshold of the best F1; with a precision floor, the best F1 among thresholds that reach it', async t => {
	const {model, held} = await halfTrained();
	const free = evaluateSentences(model.network, held.sentences, held.report, {tune: true});
	const floor = free.gold!.precision + 0.05;
	const floored = evaluateSentences(model.network, held.sentences, held.report, {tune: true, minPrecision: floor});
	t.true(floored.threshold > free.threshold, `threshold ${free.threshold} -> ${floored.threshold}`);
	t.true(floored.gold!.precision >= floor || floored.threshold === 0.7, `precision ${floored.gold!.precision} against ${floor}`);
	t.true(floored.gold!.f1 <= free.gold!.f1);
	// A floor already met changes nothing.
	const met = evaluateSentences(model.network, held.sentences, held.report, {tune: true, minPrecision: free.gold!.precision});
	t.is(met.threshold, free.threshold);
	model.dispose();
});

test('a floor no threshold reaches takes the most precise threshold', async t => {
	const {model, held} = await halfTrained();
	const unreachable = evaluateSentences(model.network, held.sentences, held.report, {tune: true, minPrecision: 1.01});
	let mostPrecise = -1;
	for (const threshold of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]) {
		model.network.config.threshold = threshold;
		mostPrecise = Math.max(mostPrecise, evaluateSentences(model.network, held.sentences, held.report).gold!.precision);
	}

	t.is(unreachable.gold!.precision, mostPrecise);
	model.dispose();
});
