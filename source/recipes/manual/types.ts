import type {Answer, Span, TaskToken} from '../../task/task.js';

/** A span being edited: Prodigy's shape, with token indices when it lines up with tokens. */
export type EditSpan = Span;

/** One version of an example, for review: who made it and what it says. */
export type Version = {
	/** Where it came from: "dataset/session". */
	source: string;
	answer: string;
	spans: EditSpan[];
	/** How many annotators gave exactly this version. */
	count: number;
};

/** One example to edit: a text, its tokens, and the spans it starts with (a model's, the merged answers, or none). */
export type EditItem = {
	text: string;
	tokens: TaskToken[];
	spans: EditSpan[];
	inputHash: number;
	meta?: Record<string, unknown>;
	/** The differing versions, when reviewing. */
	versions?: Version[];
	/** Yes/no answers the model's spans must agree with (silver-to-gold). */
	constraints?: {accepted: EditSpan[]; rejected: EditSpan[]};
	/** Fields of the source task kept in the stored answer. */
	fields?: Record<string, unknown>;
};

/** An example as the screen hands it over to be saved: the item and its spans now. */
export type EditedExample = {readonly item: EditItem; readonly spans: readonly EditSpan[]};

/** A saved answer that the screen takes back (the person went back to the example). */
export type SavedAnswer = {readonly editing: EditedExample; readonly answer: Answer; readonly taskHash: number};

/** The model side of `correct`: predicts spans for items, and learns from accepted ones with `--update`. */
export type ModelOptions = {
	model: string;
	labels: string[];
	backend?: string;
	update: boolean;
	/** Where the updated model is saved. */
	output?: string;
};

export type ToEditWorker
	= | {type: 'start'; options: ModelOptions}
		| {type: 'predict'; items: EditItem[]}
		| {type: 'learn'; text: string; spans: EditSpan[]}
		| {type: 'forget'; text: string}
		| {type: 'save'; folder: string; meta: Record<string, unknown>};

export type FromEditWorker
	= | {type: 'ready'; backend: string; labels: string[]}
		| {type: 'predicted'; items: EditItem[]}
		| {type: 'status'; updates: number; loss: number; trained: number}
		| {type: 'saved'; folder: string | undefined}
		| {type: 'error'; message: string};
