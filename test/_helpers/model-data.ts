import {NerModel} from '../../source/model/model.js';
import type {CharConfig} from '../../source/model/features.js';
import type {Task} from '../../source/task/task.js';

const people = ['Anna Smith', 'Rahul Mehta', 'Li Wei', 'Maria Lopez', 'John Carter', 'Olga Ivanova'];
const places = ['Leeds', 'Bristol', 'Pune', 'Madrid', 'Boston', 'Kyiv'];
const templates = [
	(person: string, place: string) => `${person} works as a nurse in ${place} .`,
	(person: string, place: string) => `Yesterday ${person} flew from ${place} to see family .`,
	(person: string, place: string) => `The office in ${place} hired ${person} last week .`,
];

/** Small gold data with PER and LOC spans, written here (no shared data), for fast model tests. */
export function tinyGold(): Task[] {
	const tasks: Task[] = [];
	for (const [p, person] of people.entries()) {
		for (const [l, place] of places.entries()) {
			const template = templates[(p + l) % templates.length]!;
			const text = template(person, place);
			tasks.push({
				text,
				spans: [
					{start: text.indexOf(person), end: text.indexOf(person) + person.length, label: 'PER'},
					{start: text.indexOf(place), end: text.indexOf(place) + place.length, label: 'LOC'},
				],
				answer: 'accept',
			});
		}
	}

	return tasks;
}

/** A small, fast network configuration for tests. */
export const tinyConfig = {
	rows: {
		lower: 512, prefix: 256, suffix: 256, shape: 64,
	}, featureWidth: 8, width: 16, depth: 1, hidden: 16, maxSpanTokens: 4,
	// No character CNN unless a test asks for one (test/model/chars.test.ts): these tests are about other things, at the speed of a tiny model.
	chars: undefined as CharConfig | undefined,
};

export function tinyModel(seed = 1, overrides: Partial<typeof tinyConfig> & {dilations?: number[]} = {}): NerModel {
	return NerModel.blank(['LOC', 'PER'], {...tinyConfig, ...overrides, seed});
}
