import type {
	Answer, Span, Task, TaskToken,
} from '../../task/task.js';
import type {Prefer} from './selection.js';

/** A text of the source, with where it came from. */
export type SourceText = {text: string; meta?: Record<string, unknown>; line?: number};

/** One question: is this span an entity with this label? */
export type Question = {
	/** The task hash, which names the question. */
	id: number;
	inputHash: number;
	/** The sentence the span is in. */
	text: string;
	tokens: TaskToken[];
	span: Span & {token_start: number; token_end: number};
	label: string;
	/** The model's probability, when it was chosen or last rescored. */
	score: number;
	priority: number;
	/** The pattern that proposed it, if one did. */
	pattern?: string;
	meta: Record<string, unknown>;
};

/** Where the model in the loop stands, for the progress line. */
export type ModelStatus = {
	/** Model updates so far in this session. */
	updates: number;
	/** Loss of each update, latest last (at most 20). */
	losses: number[];
	/** F1 on the `--eval-id` gold set now, and where the session started. */
	f1?: number;
	startF1?: number;
	/** Answers the model has been updated on. */
	trained: number;
};

/** What the worker needs to start. */
export type WorkerOptions = {
	/** A model folder, or "blank". */
	model: string;
	/** A saved in-loop model to continue, if there is one. */
	resume?: string;
	/** For a blank model: the vector table it reads pretrained word vectors from, if any. */
	vectors?: string;
	labels: string[];
	/** The patterns file, if any. */
	patterns?: string;
	source: SourceText[];
	prefer: Prefer;
	bias: number;
	backend?: string;
	/** Inputs and tasks to skip: answered before in this dataset or the excluded ones. */
	skipInputs: number[];
	skipTasks: number[];
	/** Earlier answers in the dataset, to rehearse. */
	earlier: Task[];
	/** Gold tasks for live F1. */
	gold: Task[];
	seed: number;
	/** How the model learns in the loop, when not the defaults (for benchmarks). */
	tuning?: LoopTuning;
};

/** The loop's learning settings a benchmark may change (see `LoopOptions`). */
export type LoopTuning = {distill?: number; learnRate?: number; steps?: number};

/** Reserve questions the screen keeps (the latest): see `TeachLoop.readWindow`. */
export const reserveLimit = 48;

export type ToWorker
	= | {type: 'start'; options: WorkerOptions}
		| {type: 'answer'; question: Question; answer: Answer}
		| {type: 'undo'; question: Question}
		| {type: 'save'; folder: string; meta: Record<string, unknown>}
		| {type: 'stop'};

export type FromWorker
	= | {type: 'ready'; backend: string; labels: string[]; addedLabels: string[]}
		/** `reserve`: questions to ask only when there is no other (see `TeachLoop.readWindow`). */
		| {type: 'questions'; questions: Question[]; replace: boolean; reserve?: Question[]}
		| {type: 'status'; status: ModelStatus}
		| {type: 'exhausted'}
		| {type: 'saved'; folder: string}
		| {type: 'error'; message: string; user: boolean};
