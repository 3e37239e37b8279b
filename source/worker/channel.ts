import {parentPort, type Transferable, type Worker} from 'node:worker_threads';

/** What goes between threads: a tagged object. */
export type Message = {type: string};

export type ChannelHandlers<From extends Message> = {
	message: (message: From) => void;
	/** An error thrown in the worker and not caught there. */
	error: (error: Error) => void;
	/** The thread stopped (after `error`, on `close`, or on its own). */
	exit?: (code: number) => void;
};

/**
 * The calling thread's end of a worker thread, typed both ways: teach,
 * manual/correct, eval-ab and the scoring pool each name their two message
 * unions once, and the compiler checks every post and every handler.
 */
export class WorkerChannel<To extends Message, From extends Message> {
	readonly #worker: Worker;

	constructor(worker: Worker, handlers: ChannelHandlers<From>) {
		this.#worker = worker;
		worker.on('message', (message: From) => {
			handlers.message(message);
		});
		worker.on('error', error => {
			handlers.error(error);
		});
		if (handlers.exit) {
			worker.on('exit', handlers.exit);
		}
	}

	post(message: To, transfer?: readonly Transferable[]): void {
		this.#worker.postMessage(message, transfer);
	}

	/** Let the process end while this thread still runs (a helper nobody closes must not keep it alive). */
	unref(): void {
		this.#worker.unref();
	}

	/** Keep the process alive while this thread runs (while work is given to it). */
	ref(): void {
		this.#worker.ref();
	}

	/** Stop the thread. */
	async close(): Promise<void> {
		await this.#worker.terminate();
	}
}

/** The worker's side of a channel: `handle` each message, and `send` back. */
export type ChannelServer<To extends Message> = {
	handle(message: To): unknown;
};

/**
 * Serve the channel from inside a worker thread: `open` gets the function
 * that sends to the calling thread, and returns what handles its messages,
 * one at a time and in order (a message waits until the one before it,
 * awaited, is done: a prediction never runs in the middle of an update).
 * Outside a worker thread (a test importing the module), does nothing and
 * returns false.
 */
export function serveChannel<To extends Message, From extends Message>(open: (send: (message: From, transfer?: readonly Transferable[]) => void) => ChannelServer<To>): boolean {
	const port = parentPort;
	if (!port) {
		return false;
	}

	const server = open((message, transfer) => {
		port.postMessage(message, transfer);
	});
	let queue: Promise<unknown> = Promise.resolve();
	port.on('message', (message: To) => {
		queue = queue.then(async () => server.handle(message)).catch((error: unknown) => {
			// A handler that throws stops the thread, as an uncaught error does, and the calling thread hears of it (its `error` handler).
			setImmediate(() => {
				throw error;
			});
		});
	});
	return true;
}
