import {UserError} from '../../errors.js';
import {isBinary} from '../../model/answers.js';
import type {Store} from '../../store/store.js';
import type {Span, Task} from '../../task/task.js';
import {taskTokens} from './session.js';
import type {EditItem, Version} from './types.js';

const spanKey = (span: Span) => `${span.start}:${span.end}:${span.label}`;

/** What a version says, as one string: two annotators agree when these are equal. */
function versionKey(answer: string, spans: readonly Span[]): string {
	return `${answer}|${spans.map(span => spanKey(span)).sort().join(',')}`;
}

export type ReviewPlan = {
	/** Inputs whose versions differ (or all inputs annotated twice or more, without `autoAccept`), to review on screen. */
	items: EditItem[];
	/** Inputs whose versions all agree, accepted as they are with `autoAccept`. */
	agreed: Task[];
	/** Inputs annotated only once: nothing to compare, left out. */
	single: number;
};

/**
 * The complete annotations (manual, correct, or imported gold) of the input
 * datasets grouped per input, one version per distinct answer and spans,
 * with the annotators who gave each. Inputs already in `skip` are left out.
 */
export async function reviewPlan(database: Store, datasets: readonly string[], options: {autoAccept: boolean; skip: ReadonlySet<number>}): Promise<ReviewPlan> {
	const byInput = new Map<number, Array<{task: Task; source: string}>>();
	for (const name of datasets) {
		// eslint-disable-next-line no-await-in-loop
		if (!await database.dataset(name)) {
			throw new UserError(`There is no dataset "${name}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
		}

		// eslint-disable-next-line no-await-in-loop
		for (const {task, session} of await database.examples(name)) {
			if (isBinary(task) || task._view_id === 'eval-ab' || options.skip.has(task._input_hash)) {
				continue;
			}

			const list = byInput.get(task._input_hash) ?? [];
			list.push({task, source: session.startsWith(`${name}-`) ? session : `${name}/${session}`});
			byInput.set(task._input_hash, list);
		}
	}

	const plan: ReviewPlan = {items: [], agreed: [], single: 0};
	for (const annotations of byInput.values()) {
		// One annotation per annotator: their latest.
		const latest = new Map(annotations.map(annotation => [annotation.source, annotation]));
		if (latest.size < 2) {
			plan.single++;
			continue;
		}

		const versions = new Map<string, Version & {task: Task}>();
		for (const {task, source} of latest.values()) {
			const answer = task.answer ?? 'accept';
			const spans = (task.spans ?? []).map(({
				start, end, token_start, token_end, label,
			}) => ({
				start, end, ...(token_start === undefined ? {} : {token_start, token_end}), label,
			}));
			const key = versionKey(answer, spans);
			const version = versions.get(key);
			if (version) {
				version.count++;
				version.source += `, ${source}`;
			} else {
				versions.set(key, {
					source, answer, spans, count: 1, task,
				});
			}
		}

		const ranked = [...versions.values()].sort((a, b) => b.count - a.count);
		const first = ranked[0]!;
		if (ranked.length === 1 && options.autoAccept) {
			const {task} = first;
			plan.agreed.push({
				text: task.text,
				...(task.meta ? {meta: task.meta} : {}),
				_input_hash: task._input_hash,
				tokens: task.tokens ?? taskTokens(task.text),
				spans: first.spans,
				answer: first.answer as Task['answer'],
				_view_id: 'ner_manual',
			});
			continue;
		}

		const tokens = first.task.tokens?.map(({ws: _ws, ...token}) => token) ?? taskTokens(first.task.text);
		plan.items.push({
			text: first.task.text,
			tokens,
			spans: first.spans,
			inputHash: first.task._input_hash!,
			...(first.task.meta ? {meta: first.task.meta} : {}),
			versions: ranked.map(({task: _task, ...version}) => version),
		});
	}

	return plan;
}
