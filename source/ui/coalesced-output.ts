/**
 * The terminal's output stream, with the text written in one run of code
 * sent as one write, once that code has finished (a microtask). Ink writes
 * each frame as three writes (the start of a synchronized update, the frame,
 * its end); on a terminal each is a system call that wakes whoever reads the
 * terminal (sshd, tmux, the terminal emulator). Everything else passes
 * through to `stream`, so size and resize events are the terminal's own.
 */
export function coalescedOutput(stream: NodeJS.WriteStream): NodeJS.WriteStream {
	let pending: string[] = [];
	const flush = () => {
		if (pending.length > 0) {
			const text = pending.join('');
			pending = [];
			stream.write(text);
		}
	};

	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		if (typeof chunk !== 'string' || rest.length > 0) {
			// Bytes, an encoding or a callback: in order, after what is waiting.
			flush();
			return (stream.write as (...arguments_: unknown[]) => boolean)(chunk, ...rest);
		}

		if (pending.length === 0) {
			queueMicrotask(flush);
		}

		pending.push(chunk);
		return true;
	};

	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') {
				return write;
			}

			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...arguments_: unknown[]) => unknown).bind(target) : value;
		},
	});
}
