import type {Span} from '../../task/task.js';
import type {SourceText} from '../teach/types.js';

/** A side of the screen: option 1 is the upper (or left) output, option 2 the lower (or right). */
export type Side = '1' | '2';

/** What a person says about a question: which side is better, no difference, or skip. */
export type AbChoice = Side | 'tie' | 'skip';

/** Two models compared, in the order of the command line (never the order of the sides). */
export type ModelPair = readonly [string, string];

/** A sentence both models of a pair labelled the same: never asked, but stored and counted. */
export type AgreedSentence = {
	/** The task hash: of the input and the pair, as a question's. */
	id: number;
	inputHash: number;
	text: string;
	models: ModelPair;
	/** The spans both models found. */
	spans: Span[];
	meta: Record<string, unknown>;
};

/** One blind question: a sentence and two models' spans on it, on random sides. */
export type AbQuestion = {
	/** The task hash: of the input and the pair, so each pair is asked once per sentence. */
	id: number;
	inputHash: number;
	text: string;
	meta: Record<string, unknown>;
	models: ModelPair;
	/** Which model each side shows: random per question, and never drawn. */
	mapping: Readonly<Record<Side, string>>;
	/** Each model's spans, by model name. */
	outputs: Readonly<Record<string, Span[]>>;
	/** Sentences the models agreed on, read since the question before: stored when this one is answered. */
	agreed: AgreedSentence[];
};

/** A model to load in the worker: its name as the person gave it, and the folder to load. */
export type ModelEntry = {name: string; folder: string};

/** What the eval-ab worker needs to start. */
export type AbWorkerOptions = {
	models: ModelEntry[];
	/** Only spans of these labels are compared and shown. */
	labels: string[];
	source: SourceText[];
	/** Questions (and agreed sentences) stored before: never asked again. */
	skipTasks: number[];
	seed: number;
	backend?: string;
};

export type ToAbWorker
	= | {type: 'start'; options: AbWorkerOptions}
		| {type: 'answered'; id: number}
		| {type: 'undo'; id: number};

export type FromAbWorker
	= | {type: 'ready'; backend: string}
		| {type: 'questions'; questions: AbQuestion[]}
		| {type: 'exhausted'; agreed: AgreedSentence[]}
		| {type: 'error'; message: string};
