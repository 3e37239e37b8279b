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

/** What accept means, for teach's help and `teach --help`: the rule a person needs most. */
export const teachAcceptRule = 'Accept only when the highlighted span is exactly one whole entity of the label (not part of one, not one with extra words); otherwise reject; ignore when you cannot tell.';

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
		// Backspace, and the Delete key too: neither means anything else here.
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

/** What a key can do on the manual/correct edit screen. */
export type EditKeyAction
	= | 'left' | 'right' | 'extend-left' | 'extend-right' | 'word-left' | 'word-right' | 'home' | 'end'
		| 'select' | 'clear' | 'label' | 'delete' | 'version' | 'accept' | 'reject' | 'skip' | 'back' | 'help' | 'quit';

/** The edit screen's keys, in the order the help lists them (the first that matches a press wins). */
export const editBindings: ReadonlyArray<Binding<EditKeyAction>> = [
	{
		action: 'extend-left', keys: '⇧←', description: 'extend the selection left', matches: (_input, key) => key.leftArrow && key.shift,
	},
	{
		action: 'extend-right', keys: '⇧→', description: 'extend the selection right', matches: (_input, key) => key.rightArrow && key.shift,
	},
	{
		action: 'word-left', keys: 'b/ctrl+←', description: 'previous word', matches: (input, key) => input === 'b' || (key.leftArrow && (key.ctrl || key.meta)),
	},
	{
		action: 'word-right', keys: 'w/ctrl+→', description: 'next word', matches: (input, key) => input === 'w' || (key.rightArrow && (key.ctrl || key.meta)),
	},
	{
		action: 'left', keys: '←/h', description: 'move left', matches: (input, key) => input === 'h' || key.leftArrow,
	},
	{
		action: 'right', keys: '→/l', description: 'move right', matches: (input, key) => input === 'l' || key.rightArrow,
	},
	{
		action: 'home', keys: 'home', description: 'first token', matches: (_input, key) => key.home || (key.ctrl && _input === 'a'),
	},
	{
		action: 'end', keys: 'end', description: 'last token', matches: (_input, key) => key.end || (key.ctrl && _input === 'e'),
	},
	{
		action: 'select', keys: 'v', description: 'start or stop a selection (then move to extend it)', matches: input => input === 'v',
	},
	{
		action: 'clear', keys: 'esc', description: 'drop the selection', matches: (_input, key) => key.escape,
	},
	{
		action: 'label', keys: '1-9', description: 'label the selection (or the token under the cursor)', matches: input => /^[1-9]$/u.test(input),
	},
	{
		action: 'delete', keys: 'd/del', description: 'delete the span under the cursor', matches: (input, key) => input === 'd' || key.delete,
	},
	{
		action: 'version', keys: 'tab', description: 'next version (review)', matches: (_input, key) => key.tab,
	},
	{
		action: 'accept', keys: '⏎', description: 'accept the example', matches: (_input, key) => key.return,
	},
	{
		action: 'reject', keys: 'x', description: 'reject it (broken text)', matches: input => input === 'x',
	},
	{
		action: 'skip', keys: 'space', description: 'skip it', matches: input => input === ' ',
	},
	{
		action: 'back', keys: 'u/⌫', description: 'back to the previous example', matches: (input, key) => input === 'u' || key.backspace,
	},
	{
		action: 'help', keys: '?', description: 'help', matches: input => input === '?',
	},
	{
		action: 'quit', keys: 'q', description: 'quit (everything answered is saved)', matches: (input, key) => input === 'q' || (key.ctrl && input === 'c'),
	},
];

/** The edit screen's short help line. */
export function editHelpLine(review = false): string {
	return [
		'←→ move',
		'⇧←→/v select',
		'1-9 label',
		'd delete',
		...(review ? ['tab version'] : []),
		'⏎ accept',
		'x reject',
		'space skip',
		'u back',
		'? help',
		'q quit',
	].join(' · ');
}
