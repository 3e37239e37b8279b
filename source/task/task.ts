/** What a person answered about a task. */
export type Answer = 'accept' | 'reject' | 'ignore';

export const answers: readonly Answer[] = ['accept', 'reject', 'ignore'];

/** A span in Prodigy's shape: UTF-16 offsets, end exclusive; `token_end` is inclusive. */
export type Span = {
	start: number;
	end: number;
	label: string;
	token_start?: number;
	token_end?: number;
	text?: string;
	score?: number;
	[field: string]: unknown;
};

/** A token in Prodigy's shape. */
export type TaskToken = {
	text: string;
	start: number;
	end: number;
	id: number;
	ws?: boolean;
	[field: string]: unknown;
};

/**
 * A task in Prodigy's JSON shape, so files move between the two tools. Fields
 * inkling does not know are kept as they are.
 */
export type Task = {
	text: string;
	tokens?: TaskToken[];
	spans?: Span[];
	meta?: Record<string, unknown>;
	answer?: Answer;
	label?: string;
	_input_hash?: number;
	_task_hash?: number;
	_session_id?: string | undefined;
	_view_id?: string;
	_timestamp?: number;
	[field: string]: unknown;
};

/** A task that has been hashed. */
export type HashedTask = Task & {_input_hash: number; _task_hash: number};
