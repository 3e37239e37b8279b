import fs from 'node:fs';
import path from 'node:path';
import {loadBackend} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../../source/model/data.js';
import {NerModel} from '../../source/model/model.js';
import {trainNetwork} from '../../source/model/train.js';
import {tinyConfig, tinyGold} from './model-data.js';

/**
 * Two models that differ in a way a test can see: `per` is trained to find
 * people (PER) in the tiny gold sentences, `none` has the same labels and
 * finds nothing (its threshold is above every probability). `per-copy` is
 * `per` saved again, so it agrees with `per` on every sentence.
 */
export async function abModels(folder: string): Promise<{per: string; none: string; perCopy: string}> {
	await loadBackend({prefer: 'wasm'});
	const per = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 3});
	const gold = tinyGold().map(task => ({...task, spans: task.spans!.filter(span => span.label === 'PER')}));
	const {sentences} = prepareInputs(mergeAnswers(gold), per.network.config);
	for await (const _ of trainNetwork(per.network, sentences, {
		epochs: 25, learnRate: 0.01, dropout: 0, batchTokens: 200, seed: 3,
	})) {
		// Training runs as the generator is read.
	}

	const folders = {per: path.join(folder, 'per'), none: path.join(folder, 'none'), perCopy: path.join(folder, 'per-copy')};
	per.save(folders.per);
	per.save(folders.perCopy);
	per.dispose();
	const none = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 4, threshold: 2});
	none.save(folders.none);
	none.dispose();
	return folders;
}

/** Sentences with a person in each (the gold ones and reworded), and `plain` sentences with no one in them. */
export function abSource(file: string, plain = 0): string {
	const people = tinyGold().flatMap(task => [task.text, `Today ${task.text}`]);
	const weather = Array.from({length: plain}, (_, index) => `The weather was fine on day ${index + 1} .`);
	// Interleaved, so agreed sentences fall between questions and after the last one.
	const texts = Array.from({length: Math.max(people.length, weather.length)}, (_, index) => [people[index], weather[index]]).flat().filter(text => text !== undefined);
	fs.writeFileSync(file, texts.map(text => JSON.stringify({text})).join('\n') + '\n');
	return file;
}
