import path from 'node:path';
import {taskHash} from '../../task/hash.js';
import type {Task} from '../../task/task.js';
import type {AbAnswer} from '../ab-stats.js';
import type {
	AbChoice, AbQuestion, AgreedSentence, ModelPair,
} from './types.js';

// How eval-ab answers are stored, and read back. No database and no tensors
// here: the screen uses it for the live verdict.

/** The `_view_id` of stored eval-ab answers. */
export const abViewId = 'eval-ab';

/** A model's name as answers store it: the folder as typed, without "./" or a trailing slash. */
export function modelName(folder: string): string {
	const normal = path.normalize(folder);
	return normal.length > 1 && normal.endsWith(path.sep) ? normal.slice(0, -1) : normal;
}

/** The task's `label`: names the pair, so the task hash differs per pair on one sentence. */
export function pairLabel(models: ModelPair): string {
	return `${models[0]} vs ${models[1]}`;
}

/** The task hash of a pair's question on a sentence, as `withHashes` computes it from the stored task. */
export function abTaskHash(text: string, input: number, models: ModelPair): number {
	return taskHash({text, spans: [], label: pairLabel(models)}, input);
}

/** The winning model of a choice, 'tie', or 'skip': by model, never by side. */
export function winnerOf(question: Pick<AbQuestion, 'mapping'>, choice: AbChoice): string {
	return choice === '1' || choice === '2' ? question.mapping[choice] : choice;
}

/** The stored task for an answer: the winning model, both outputs and the side mapping. */
export function answerTask(question: AbQuestion, choice: AbChoice, session: string): Task {
	return {
		text: question.text,
		spans: [],
		label: pairLabel(question.models),
		meta: question.meta,
		answer: choice === 'skip' ? 'ignore' : 'accept',
		...(choice === 'skip' ? {} : {winner: winnerOf(question, choice)}),
		models: [...question.models],
		outputs: question.outputs,
		mapping: question.mapping,
		_input_hash: question.inputHash,
		_task_hash: question.id,
		_session_id: session,
		_view_id: abViewId,
		_timestamp: Math.floor(Date.now() / 1000),
	};
}

/** The stored task for a sentence both models labelled the same: ignored, so training never reads it. */
export function agreedTask(agreed: AgreedSentence, session: string): Task {
	return {
		text: agreed.text,
		spans: [],
		label: pairLabel(agreed.models),
		meta: agreed.meta,
		answer: 'ignore',
		identical: true,
		models: [...agreed.models],
		outputs: Object.fromEntries(agreed.models.map(model => [model, agreed.spans])),
		_input_hash: agreed.inputHash,
		_task_hash: agreed.id,
		_session_id: session,
		_view_id: abViewId,
		_timestamp: Math.floor(Date.now() / 1000),
	};
}

/** What a dataset's eval-ab tasks say: the answers, and the sentences skipped as identical, per pair. */
export type StoredAb = {
	answers: AbAnswer[];
	identical: number;
	/** Identical sentences by `pairLabel`. */
	identicalByPair: Map<string, number>;
	/** Model names in the order they first appear. */
	models: string[];
};

/** A stored task as eval-ab reads it back: its own fields may be missing or damaged. */
type StoredTask = Task & {models?: unknown; identical?: unknown; winner?: unknown};

/** Whether a stored task is an eval-ab answer (or an identical sentence). */
export function isAbTask(task: StoredTask): boolean {
	return task._view_id === abViewId && Array.isArray(task.models) && task.models.length === 2;
}

/** Read eval-ab tasks back; other tasks are left out. */
export function readAbTasks(tasks: Iterable<StoredTask>): StoredAb {
	const stored: StoredAb = {
		answers: [], identical: 0, identicalByPair: new Map(), models: [],
	};
	const seen = new Set<string>();
	for (const task of tasks) {
		if (!isAbTask(task)) {
			continue;
		}

		const models = (task.models as unknown[]).map(String) as unknown as ModelPair;
		for (const model of models) {
			if (!seen.has(model)) {
				seen.add(model);
				stored.models.push(model);
			}
		}

		if (task.identical === true) {
			stored.identical++;
			const label = pairLabel(models);
			stored.identicalByPair.set(label, (stored.identicalByPair.get(label) ?? 0) + 1);
			continue;
		}

		const winner = task.answer === 'accept' && typeof task.winner === 'string' ? task.winner : 'skip';
		stored.answers.push({winner, models});
	}

	return stored;
}
