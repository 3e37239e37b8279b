import type {Answer, Span, Task} from '../source/task/task.js';

/** Realistic-looking annotation answers for the store benchmark: deterministic for a given number. */

const words = [
	'the',
	'report',
	'said',
	'that',
	'shares',
	'of',
	'rose',
	'after',
	'a',
	'meeting',
	'with',
	'officials',
	'in',
	'on',
	'quarterly',
	'results',
	'were',
	'announced',
	'by',
	'spokesperson',
	'for',
	'and',
	'new',
	'contract',
	'signed',
	'last',
	'week',
	'analysts',
	'expect',
	'growth',
	'to',
	'slow',
	'during',
	'talks',
	'between',
	'market',
	'closed',
	'higher',
	'while',
	'investors',
	'waited',
	'statement',
	'from',
	'board',
	'its',
];

const entities: ReadonlyArray<{text: string; label: string}> = [
	{text: 'Acme Corp', label: 'ORG'},
	{text: 'Globex', label: 'ORG'},
	{text: 'the European Commission', label: 'ORG'},
	{text: 'Berlin', label: 'GPE'},
	{text: 'São Paulo', label: 'GPE'},
	{text: 'New Zealand', label: 'GPE'},
	{text: 'Maria Lopez', label: 'PERSON'},
	{text: 'John Okafor', label: 'PERSON'},
	{text: 'Wei Zhang', label: 'PERSON'},
	{text: 'Monday', label: 'DATE'},
	{text: 'March 2024', label: 'DATE'},
];

/** Mulberry32: a small seeded generator, so a task depends only on its number. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/**
 * Task number `n`: a sentence of roughly 60-120 characters built from a small
 * word list and ending in the number, with one or two entity spans, answered
 * accept (70%), reject (20%) or ignore (10%). `id` is kept in `meta.id`.
 */
export function makeTask(n: number, id: string | number = n): Task {
	const next = random(n + 1);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
	const target = 50 + Math.floor(next() * 55);
	const spanCount = next() < 0.6 ? 1 : 2;
	// Word positions (counted in pieces) where the entities go.
	const at = new Set<number>();
	while (at.size < spanCount) {
		at.add(Math.floor(next() * 8));
	}

	let text = '';
	const spans: Span[] = [];
	for (let piece = 0; text.length < target || spans.length < spanCount; piece++) {
		if (text.length > 0) {
			text += ' ';
		}

		if (at.has(piece)) {
			const entity = pick(entities);
			spans.push({start: text.length, end: text.length + entity.text.length, label: entity.label});
			text += entity.text;
		} else {
			const word = pick(words);
			text += piece === 0 ? word[0]!.toUpperCase() + word.slice(1) : word;
		}
	}

	text += ` (item ${n}).`;
	const roll = next();
	const answer: Answer = roll < 0.7 ? 'accept' : (roll < 0.9 ? 'reject' : 'ignore');
	return {
		text, spans, answer, meta: {id},
	};
}
