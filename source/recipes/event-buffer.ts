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
