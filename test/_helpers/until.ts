/** One poll's pause: short, so a test waits about as long as the screen takes and no longer. */
const pollMs = 3;

/**
 * Check `condition` until it holds, every `every` ms (longer for a check that
 * costs a process, as reading a tmux screen does); after `timeout` ms, throw
 * the error `timedOut` words.
 */
export async function poll(condition: () => boolean, timeout: number, timedOut: () => string, every = pollMs): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(timedOut());
		}

		await new Promise(resolve => {
			setTimeout(resolve, every);
		});
	}
}

/**
 * Wait until `condition` holds, checking it every few milliseconds instead of
 * sleeping a fixed time: as fast as the screen on an idle machine, and still
 * right on a loaded one. After `timeout` ms it throws an error naming `what`.
 */
export async function until(condition: () => boolean, what: string, timeout = 10_000): Promise<void> {
	await poll(condition, timeout, () => `Timed out after ${timeout} ms waiting for ${what}`);
}

/**
 * Wait until the latest frame matches `pattern`, and return that frame. After
 * `timeout` ms it throws an error showing the pattern and the last frame drawn.
 */
export async function frame(lastFrame: () => string | undefined, pattern: RegExp, timeout = 10_000): Promise<string> {
	let latest: string | undefined;
	await poll(() => {
		latest = lastFrame();
		return latest !== undefined && pattern.test(latest);
	}, timeout, () => `Timed out after ${timeout} ms waiting for a frame matching ${String(pattern)}; the last frame was:\n${latest ?? '(none drawn)'}`);
	return latest!;
}
