import {UserError} from '../errors.js';
import type {BackendName} from '../model/backend.js';
import type {ScorePool} from '../model/pool/pool.js';
import {takeWorker} from '../recipes/early-worker.js';

/** Data of fewer characters (about 10,000 tokens, 0.2 s to score on wasm) is scored by the main thread alone. */
export const poolCharacters = 50_000;

const small = (texts: readonly string[]) => texts.reduce((sum, text) => sum + text.length, 0) < poolCharacters;

/** `--workers`, for the commands that score a model over data. */
export const workersOption = {
	type: 'number',
	describe: 'Threads that score beside the main one, each with its own copy of the model. Default: one per other core, at most 3, on wasm and cpu (which use one core each) and for data of over 50,000 characters; none on tfjs-node',
} as const;

/** Check `--workers`: a whole number, 0 or more. */
export function checkWorkers(workers: number | undefined): void {
	if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
		throw new UserError(`--workers${Number.isNaN(workers) ? ': not a number' : ` ${workers}`}; give a whole number of threads, 0 or more.`);
	}
}

/**
 * Start the helper threads that score with the model in `folder` (or with
 * each model of a list of folders): `--workers` of them, else the backend's
 * default, the first being the one bin.js started early if it did. They load
 * in the background. Undefined when there are none, or, given the texts to
 * score, when they are too few for helpers (see `keepForData`).
 */
export async function startScoring(folder: string | readonly string[] | undefined, backend: BackendName, workers: number | undefined, texts?: readonly string[]): Promise<ScorePool | undefined> {
	if (texts && workers === undefined && small(texts)) {
		return undefined;
	}

	const {defaultScoreWorkers, ScorePool: Pool} = await import('../model/pool/pool.js');
	const helpers = workers ?? defaultScoreWorkers(backend);
	return helpers > 0 && folder ? Pool.start(folder, {backend, workers: helpers, firstWorker: takeWorker}) : undefined;
}

/** The pool, or undefined (and closed) when `--workers` was not given and the data is small enough to score before a helper is ready. */
export function keepForData(pool: ScorePool | undefined, workers: number | undefined, texts: readonly string[]): ScorePool | undefined {
	if (pool && workers === undefined && small(texts)) {
		void pool.close();
		return undefined;
	}

	return pool;
}
