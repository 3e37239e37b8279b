import type {MergedInput} from '../model/answers.js';
import {spanKey, type SentenceKinds} from '../model/evaluate.js';
import {terminalSafe} from '../text/terminal-safe.js';

/**
 * A model's errors in the gold sentences where it makes more than the base
 * (or the model it is compared with): wrong spans (overlapping no gold span), of which some are words the
 * gold or the training answers mark with the same label elsewhere (then it
 * may be the gold that misses them, not the model that errs), spans at the
 * wrong boundaries, and gold spans missed.
 */
export type Losses = {
	sentences: number;
	wrong: number;
	markedElsewhere: number;
	/** Up to three of those words (the same words in other case or spacing once), the most frequent first. */
	examples: string[];
	boundary: number;
	missed: number;
};

export function lossesOf(baseErrors: readonly number[], modelErrors: readonly number[], kinds: readonly SentenceKinds[], marked: ReadonlySet<string>): Losses {
	const losses: Losses = {
		sentences: 0, wrong: 0, markedElsewhere: 0, examples: [], boundary: 0, missed: 0,
	};
	// By key, so the same words cased or spaced otherwise are one example, shown as first seen.
	const examples = new Map<string, {text: string; count: number}>();
	for (const [index, errors] of modelErrors.entries()) {
		if (errors <= baseErrors[index]!) {
			continue;
		}

		const {wrong, boundary, missed} = kinds[index]!;
		losses.sentences++;
		losses.wrong += wrong.length;
		losses.boundary += boundary;
		losses.missed += missed;
		for (const span of wrong.filter(span => marked.has(span.key))) {
			losses.markedElsewhere++;
			const example = examples.get(span.key) ?? {text: span.text, count: 0};
			example.count++;
			examples.set(span.key, example);
		}
	}

	losses.examples = [...examples.values()].sort((a, b) => b.count - a.count).slice(0, 3).map(example => example.text);
	return losses;
}

/** The `spanKey` of every span the gold or an accepted answer of merged inputs (`mergeAnswers`) marks, to recognise a wrong span's words. */
export function markedSpans(inputs: readonly MergedInput[]): Set<string> {
	return new Set(inputs.flatMap(input => [...(input.gold ?? []), ...input.accepted].map(span => spanKey(span.label, input.text.slice(span.start, span.end)))));
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What a model gets wrong where it loses sentences to another, so the user
 * knows what to fix: wrong spans whose words the gold or the answers mark
 * elsewhere point at the gold (it may miss them in these sentences), the
 * rest at the model. Undefined when it loses none.
 */
export function lossesText(losses: Losses, names?: {model: string; base: string}): string | undefined {
	const {model, base} = names ?? {model: 'the new model', base: 'the base'};
	if (losses.sentences === 0) {
		return undefined;
	}

	const examples = losses.examples.map(text => JSON.stringify(terminalSafe(text, {singleLine: true}))).join(', ');
	const marked = losses.markedElsewhere > 0
		? `, ${losses.markedElsewhere} of them words the gold or the answers mark with the same label elsewhere (${examples}): where they are right, it is the gold that misses them`
		: '';
	return `Where ${model} makes more errors than ${base} (${count(losses.sentences, 'gold sentence', 'gold sentences')}), it predicts ${count(losses.wrong, 'span', 'spans')} the gold does not have${marked}; ${count(losses.boundary, 'span overlaps', 'spans overlap')} a gold span with other ends or another label; it misses ${count(losses.missed, 'gold span', 'gold spans')}.`;
}
