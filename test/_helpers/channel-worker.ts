// A worker for the channel's tests: doubles numbers, first waiting for a gate
// the test opens when asked (so a later message could overtake an earlier one
// if the queue let it), gives back a transferred buffer's sum, and throws on request.
import {serveChannel} from '../../source/worker/channel.js';

export type ToEcho = {type: 'double'; value: number; gate?: Int32Array} | {type: 'sum'; values: Float32Array} | {type: 'throw'; message: string};
export type FromEcho = {type: 'doubled'; value: number} | {type: 'sum'; sum: number} | {type: 'waiting'};

/** `Atomics.waitAsync` (Node 16+; TypeScript's ES2024 library, newer than this project's target, declares it). */
type WaitAsync = (array: Int32Array, index: number, value: number) => {async: false} | {async: true; value: Promise<unknown>};

async function waitFor(gate: Int32Array): Promise<void> {
	const result = (Atomics as unknown as {waitAsync: WaitAsync}).waitAsync(gate, 0, 0);
	if (result.async) {
		await result.value;
	}
}

serveChannel<ToEcho, FromEcho>(send => ({
	async handle(message) {
		switch (message.type) {
			case 'double': {
				if (message.gate) {
					// Say so, then wait without blocking the thread until the test stores 1 in the shared gate.
					send({type: 'waiting'});
					await waitFor(message.gate);
				}

				send({type: 'doubled', value: message.value * 2});
				break;
			}

			case 'sum': {
				send({type: 'sum', sum: message.values.reduce((total, value) => total + value, 0)});
				break;
			}

			case 'throw': {
				throw new Error(message.message);
			}
		}
	},
}));
