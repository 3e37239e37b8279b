import fs from 'node:fs';
import type React from 'react';
import {render} from 'ink';
import {keepBackgroundThreadsLow} from '../recipes/thread-priority.js';
import {installFastOutput} from '../ui/fast-output.js';
import {speedUpOn} from '../speed-ups.js';

const signals = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;

/** Write to a terminal that may be gone (a dropped SSH connection): never throw. */
export function say(stream: NodeJS.WriteStream, text: string): void {
	try {
		stream.write(text);
	} catch {
		// The terminal is gone; the answers are saved all the same.
	}
}

/** From now on, errors of the terminal's streams (EIO, EPIPE) are expected: drop them instead of crashing before the save. */
function ignoreTerminalErrors(): void {
	for (const stream of [process.stdin, process.stdout, process.stderr]) {
		stream.on('error', () => undefined);
	}
}

/**
 * Point standard input, output and error at /dev/null once the terminal is
 * gone: on exit Node restores the terminal's settings on descriptors that
 * still are the terminal, and on a hung-up one that fails an assertion and
 * aborts. A descriptor opened anew is left alone.
 */
function detachFromTerminal(): void {
	for (const fd of [0, 1, 2]) {
		try {
			fs.closeSync(fd);
			// The lowest free descriptor: the one just closed.
			fs.openSync('/dev/null', fd === 0 ? 'r' : 'w');
		} catch {
			// Already gone: nothing to restore there.
		}
	}
}

/**
 * Draw a screen until the person quits or a signal ends the process (q,
 * Ctrl+C, SIGINT, SIGTERM, SIGHUP from a dropped connection): then the
 * screen is cleared, `close` saves what is left, and the summary it returns
 * is printed in the screen's place.
 */
export async function runScreen(screen: (onQuit: () => void) => React.ReactElement, close: () => Promise<string>, options: {saving?: string} = {}): Promise<void> {
	if (speedUpOn('fast-output')) {
		await installFastOutput();
	}

	let finishing: Promise<void> | undefined;
	// Keys and frames first: the model worker and the helper threads wait.
	const stopLowering = speedUpOn('thread-priority') ? keepBackgroundThreadsLow() : () => undefined;
	const finish = async (code: number, terminalGone = false) => {
		finishing ??= (async () => {
			stopLowering();
			if (terminalGone) {
				// A dropped connection: every write and read of the terminal now fails (EIO). Save first, draw nothing.
				ignoreTerminalErrors();
				await close();
				detachFromTerminal();
				process.exitCode = code;
				return;
			}

			app.clear();
			app.unmount();
			if (options.saving) {
				say(process.stderr, `inkling: ${options.saving}\n`);
			}

			say(process.stdout, await close());
			process.exitCode = code;
		})();
		return finishing;
	};

	for (const [signal, code] of Object.entries(signals)) {
		process.on(signal, () => {
			// SIGHUP: the connection dropped, and with it the terminal (a hand-sent one is rare, and loses only the summary).
			void finish(code, signal === 'SIGHUP').then(() => process.exit(code));
		});
	}

	// No frame rate cap (maxFps 0): each commit is drawn at once. Ink's
	// throttle, at any rate, is a debounce that restarts its timer on every
	// call: a key pressed within its interval of the frame before (a status
	// line, or the key before in a burst) waited the whole interval for its
	// own frame. At 240 that put 5 ms on keys in a burst, and on keys just
	// after a model update's frame.
	const app = render(screen(() => {
		void finish(0);
	}), {
		stdout: process.stdout, exitOnCtrlC: false, maxFps: 0, patchConsole: false,
	});
	await app.waitUntilExit();
	await finishing;
}
