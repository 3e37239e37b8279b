import type {BackendName} from '../backend.js';

/** Sentences of one batch, packed for a worker: each one's words, and its candidates' first and last tokens in pairs. */
export type PackedGroup = {words: ReadonlyArray<readonly string[]>; counts: Int32Array; pairs: Int32Array};

export type ToScoreWorker = {type: 'load'; folders: string[]; backend: BackendName}
	| {type: 'score'; id: number; model: number; group: PackedGroup};

export type FromScoreWorker = {type: 'ready'}
	| {type: 'failed'; message: string}
	| {type: 'scored'; id: number; probabilities: Float32Array; offsets: number[]}
	| {type: 'error'; id: number; message: string};
