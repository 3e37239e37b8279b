import {loadBackend} from '../backend.js';
import {loadModel} from '../io.js';
import type {SpanNetwork} from '../network.js';
import {scoreGroup} from '../train.js';
import {serveChannel} from '../../worker/channel.js';
import {unpackGroup} from './pack.js';
import type {FromScoreWorker, ToScoreWorker} from './types.js';

/** The pool's models, in its order. */
let networks: SpanNetwork[] = [];
// Feature ids of words seen, kept between batches as `scoreSentences` keeps them within a call; bounded.
const cache = new Map<string, Int32Array>();
const cacheLimit = 200_000;

async function handle(message: ToScoreWorker, send: (message: FromScoreWorker, transfer?: ArrayBuffer[]) => void): Promise<void> {
	if (message.type === 'load') {
		try {
			await loadBackend({prefer: message.backend});
			networks = message.folders.map(folder => loadModel(folder).network);
			send({type: 'ready'});
		} catch (error) {
			send({type: 'failed', message: error instanceof Error ? error.message : String(error)});
		}

		return;
	}

	try {
		if (cache.size > cacheLimit) {
			cache.clear();
		}

		const scored = scoreGroup(networks[message.model]!, unpackGroup(message.group), cache);
		// Moved, not copied, when the array is its buffer's whole (as backends give it); else a copy of its own.
		const probabilities = scored.probabilities.byteLength === scored.probabilities.buffer.byteLength ? scored.probabilities : scored.probabilities.slice();
		const {offsets} = scored;
		send({
			type: 'scored', id: message.id, probabilities, offsets,
		}, [probabilities.buffer as ArrayBuffer]);
	} catch (error) {
		send({type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error)});
	}
}

serveChannel<ToScoreWorker, FromScoreWorker>(send => ({
	async handle(message: ToScoreWorker) {
		await handle(message, send);
	},
}));
