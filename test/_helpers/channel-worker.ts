// A worker for the channel's tests: doubles numbers, after a pause when asked
// (so a later message could overtake an earlier one if the queue let it),
// gives back a transferred buffer's sum, and throws on request.
import {setTimeout as delay} from 'node:timers/promises';
import {serveChannel} from '../../source/worker/channel.js';

export type ToEcho = {type: 'double'; value: number; pauseMs?: number} | {type: 'sum'; values: Float32Array} | {type: 'throw'; message: string};
export type FromEcho = {type: 'doubled'; value: number} | {type: 'sum'; sum: number};

serveChannel<ToEcho, FromEcho>(send => ({
	async handle(message) {
		switch (message.type) {
			case 'double': {
				if (message.pauseMs) {
					await delay(message.pauseMs);
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
