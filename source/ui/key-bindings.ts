import type {Key} from 'ink';

/** What a key can do on the teach screen. */
export type TeachAction = 'accept' | 'reject' | 'ignore' | 'undo' | 'help' | 'quit';

/** One binding: the keys (as the help shows them), what they do, and how a key press is recognised. */
export type Binding<A extends string> = {
	readonly action: A;
	readonly keys: string;
	readonly description: string;
	readonly matches: (input: string, key: Key) => boolean;
};

/** The teach screen's keys: the screen asks this table, and the help line is drawn from it. */
export const teachBindings: ReadonlyArray<Binding<TeachAction>> = [
	{
		action: 'accept', keys: 'a', description: 'accept', matches: input => input === 'a',
	},
	{
		action: 'reject', keys: 'x', description: 'reject', matches: input => input === 'x',
	},
	{
		action: 'ignore', keys: 'space', description: 'ignore', matches: input => input === ' ',
	},
	{
		// Most terminals send DEL (0x7f) for backspace, which Ink reports as `delete`.
		action: 'undo', keys: 'u/⌫', description: 'undo', matches: (input, key) => input === 'u' || key.backspace || key.delete,
	},
	{
		action: 'help', keys: '?', description: 'help', matches: input => input === '?',
	},
	{
		action: 'quit', keys: 'q', description: 'quit', matches: (input, key) => input === 'q' || (key.ctrl && input === 'c'),
	},
];

/** What a key can do on the eval-ab screen. */
export type AbAction = 'first' | 'second' | 'tie' | 'skip' | 'undo' | 'help' | 'quit';

/** The eval-ab screen's keys. */
export const abBindings: ReadonlyArray<Binding<AbAction>> = [
	{
		action: 'first', keys: '1/←', description: '1 wins', matches: (input, key) => input === '1' || key.leftArrow,
	},
	{
		action: 'second', keys: '2/→', description: '2 wins', matches: (input, key) => input === '2' || key.rightArrow,
	},
	{
		action: 'tie', keys: '=', description: 'tie', matches: input => input === '=',
	},
	{
		action: 'skip', keys: 'space', description: 'skip', matches: input => input === ' ',
	},
	{
		action: 'undo', keys: 'u/⌫', description: 'undo', matches: (input, key) => input === 'u' || key.backspace || key.delete,
	},
	{
		action: 'help', keys: '?', description: 'help', matches: input => input === '?',
	},
	{
		action: 'quit', keys: 'q', description: 'quit', matches: (input, key) => input === 'q' || (key.ctrl && input === 'c'),
	},
];

/** The action a key press stands for, if any. */
export function actionOf<A extends string>(bindings: ReadonlyArray<Binding<A>>, input: string, key: Key): A | undefined {
	return bindings.find(binding => binding.matches(input, key))?.action;
}

/** The help line: "a accept · x reject · ...". */
export function helpLine<A extends string>(bindings: ReadonlyArray<Binding<A>>): string {
	return bindings.map(binding => `${binding.keys} ${binding.description}`).join(' · ');
}

/**
 * Keys typed faster than the terminal is read arrive as one string (Ink
 * passes them on whole, as it does pasted text): split them into one press
 * each, so a burst of answers answers that many questions.
 */
export function keyPresses(input: string, key: Key): Array<[string, Key]> {
	if (input.length <= 1 || key.ctrl || key.meta || input.includes('\u001B')) {
		return [[input, key]];
	}

	const plain = Object.fromEntries(Object.keys(key).map(name => [name, false])) as unknown as Key;
	return [...input].map(character => {
		if (character === '\u007F' || character === '\b') {
			return ['', {...plain, backspace: character === '\b', delete: character === '\u007F'}];
		}

		return character === '\r' ? ['', {...plain, return: true}] : [character, plain];
	});
}
