/**
 * Events from a session to its screen. The session starts before the screen
 * subscribes, so events sent while no one listens are kept and handed to the
 * first listener, in order.
 */
export class EventBuffer<E> {
	readonly #listeners = new Set<(event: E) => void>();
	readonly #early: E[] = [];

	emit(event: E): void {
		if (this.#listeners.size === 0) {
			this.#early.push(event);
		}

		for (const listener of this.#listeners) {
			listener(event);
		}
	}

	/** Listen, first hearing what came before; returns how to stop. */
	subscribe(listener: (event: E) => void): () => void {
		this.#listeners.add(listener);
		for (const event of this.#early.splice(0)) {
			listener(event);
		}

		return () => this.#listeners.delete(listener);
	}
}

/** How many answers of each kind. */
export function countAnswers(answers: Iterable<'accept' | 'reject' | 'ignore'>): Record<'accept' | 'reject' | 'ignore', number> {
	const counts = {accept: 0, reject: 0, ignore: 0};
	for (const answer of answers) {
		counts[answer]++;
	}

	return counts;
}

/** Ask for something (`ask` is handed the function that answers) and wait at most `timeout` ms for it; undefined when it did not come. */
export async function replyWithin<T>(timeout: number, ask: (reply: (value: T) => void) => void): Promise<T | undefined> {
	return new Promise<T | undefined>(resolve => {
		const timer = setTimeout(() => {
			resolve(undefined);
		}, timeout);
		ask(value => {
			clearTimeout(timer);
			resolve(value);
		});
	});
}
