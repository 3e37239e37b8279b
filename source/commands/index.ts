import type {CommandModule} from 'yargs';
import type {GlobalArgs} from './shared.js';

type Command = CommandModule<GlobalArgs, GlobalArgs>;

/**
 * Every command, in the order `--help` lists them: its names (the first is
 * its own, then its Prodigy aliases) and how to load it. A command's module
 * loads its screen, store and model code, so only the command that runs is
 * loaded (`teach` starts sooner without `train`'s imports).
 */
const table: Array<{names: string[]; load: () => Promise<Record<string, unknown>>; name: string}> = [
	{names: ['teach', 'ner.teach'], load: async () => import('./teach.js'), name: 'teach'},
	{names: ['manual', 'ner.manual'], load: async () => import('./manual.js'), name: 'manual'},
	{names: ['correct', 'ner.correct', 'ner.make-gold'], load: async () => import('./correct.js'), name: 'correct'},
	{names: ['silver-to-gold', 'ner.silver-to-gold'], load: async () => import('./silver-to-gold.js'), name: 'silverToGold'},
	{names: ['review', 'ner.review'], load: async () => import('./review.js'), name: 'review'},
	{names: ['train', 'ner.batch-train'], load: async () => import('./train.js'), name: 'train'},
	{names: ['train-curve', 'ner.train-curve'], load: async () => import('./train-curve.js'), name: 'trainCurve'},
	{names: ['eval'], load: async () => import('./eval.js'), name: 'evaluate'},
	{names: ['eval-ab', 'ner.eval-ab'], load: async () => import('./eval-ab.js'), name: 'evalAb'},
	{names: ['print-stream', 'ner.print-stream'], load: async () => import('./print-stream.js'), name: 'printStream'},
	{names: ['print-dataset', 'ner.print-dataset'], load: async () => import('./print-dataset.js'), name: 'printDataset'},
	{names: ['db-in'], load: async () => import('./db-in.js'), name: 'dbIn'},
	{names: ['db-out'], load: async () => import('./db-out.js'), name: 'dbOut'},
	{names: ['stats'], load: async () => import('./stats.js'), name: 'stats'},
	{names: ['drop'], load: async () => import('./drop.js'), name: 'drop'},
	{names: ['terms', 'terms.teach'], load: async () => import('./terms.js'), name: 'terms'},
	{names: ['terms-to-patterns', 'terms.to-patterns'], load: async () => import('./terms.js'), name: 'termsToPatterns'},
	{names: ['vectors'], load: async () => import('./vectors.js'), name: 'vectors'},
	{names: ['db-copy'], load: async () => import('./db-copy.js'), name: 'dbCopy'},
	{names: ['db-migrate'], load: async () => import('./db-migrate.js'), name: 'dbMigrate'},
	{names: ['db-recover'], load: async () => import('./db-recover.js'), name: 'dbRecover'},
	{names: ['doctor'], load: async () => import('./doctor.js'), name: 'doctor'},
];

/** The command a command line names: the first word that is not a flag (or the value of `--db`). */
export function commandName(argv: readonly string[]): string | undefined {
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index]!;
		if (word === '--db') {
			index++;
		} else if (!word.startsWith('-')) {
			return word;
		}
	}

	return undefined;
}

/** The commands to register for a command line: only the one it names, or all of them (for `--help`, a typo, or no command). */
export async function commandsFor(argv: readonly string[]): Promise<Command[]> {
	const name = commandName(argv);
	const named = table.find(entry => entry.names.includes(name ?? ''));
	const chosen = named ? [named] : table;
	const modules = await Promise.all(chosen.map(async entry => entry.load()));
	return chosen.map((entry, index) => modules[index]![entry.name] as Command);
}

/** Every command's names, for tests and help. */
export const commandNames = table.map(entry => entry.names);
