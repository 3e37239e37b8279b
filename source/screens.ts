/**
 * The commands that draw a screen: their aliases, and the worker their
 * session starts. One list: bin.js reads it before the CLI loads (to let
 * these commands draw under CI, and to start their worker early), each
 * command takes its aliases from it, and `requireTerminal` takes only these
 * names. Imports nothing, so bin.js reads it at no cost.
 */
export const screens = {
	teach: {aliases: ['ner.teach'], worker: 'recipes/teach/worker-entry.js'},
	correct: {aliases: ['ner.correct', 'ner.make-gold'], worker: 'recipes/manual/worker-entry.js'},
	'silver-to-gold': {aliases: ['ner.silver-to-gold'], worker: 'recipes/manual/worker-entry.js'},
	'eval-ab': {aliases: ['ner.eval-ab'], worker: 'recipes/eval-ab/worker-entry.js'},
	manual: {aliases: ['ner.manual']},
	review: {aliases: ['ner.review']},
	terms: {aliases: ['terms.teach']},
} as const satisfies Record<string, {aliases: readonly string[]; worker?: string}>;

export type Screen = keyof typeof screens;

/** The screen a command-line word names (by its name or an alias), if it names one. */
export function screenOf(word: string | undefined): {name: Screen; worker?: string} | undefined {
	for (const [name, screen] of Object.entries(screens) as Array<[Screen, {aliases: readonly string[]; worker?: string}]>) {
		if (word === name || screen.aliases.includes(word!)) {
			return {name, ...(screen.worker ? {worker: screen.worker} : {})};
		}
	}

	return undefined;
}

/** A screen command's yargs names: its usage, then its aliases. */
export function screenCommand(name: Screen, usage: string): string[] {
	return [`${name} ${usage}`, ...screens[name].aliases];
}
