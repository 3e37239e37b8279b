import test from 'ava';

// As bin.js does for screens: Ink draws no frames but the last when CI is set
// (it reads the environment when it loads, so this comes before the import).
for (const name of Object.keys(process.env)) {
	if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) {
		delete process.env[name];
	}
}

const {warmUpTeachScreen} = await import('../../source/ui/warm-up.js');

test.serial('the warm-up answers made-up questions on a screen nobody sees, and stops when told', async t => {
	const written: string[] = [];
	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
		written.push(String(chunk));
		return (write as (...arguments_: unknown[]) => boolean)(chunk, ...rest);
	}) as typeof process.stdout.write;
	let whole: {pressed: number; frames: number};
	let stopped: {pressed: number; frames: number};
	let checks = 0;
	try {
		whole = await warmUpTeachScreen({columns: 100, rows: 30, hasColor: true});
		stopped = await warmUpTeachScreen({
			columns: 80, rows: 24, hasColor: false, stop: () => checks++ >= 3,
		});
	} finally {
		process.stdout.write = write;
	}

	t.is(whole.pressed, 30);
	// Every key but the two that open and close the help draws a question (and the first frame does).
	t.true(whole.frames >= 28, String(whole.frames));
	t.is(stopped.pressed, 3);
	// Nothing reaches the real terminal.
	t.false(written.some(chunk => chunk.includes('warm-up') || chunk.includes('probability')), written.join(''));
});
