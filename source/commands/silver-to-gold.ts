import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {backendNames} from '../model/backend.js';
import {isBinary, mergeAnswers} from '../model/answers.js';
import {modelLabels, resolveModelFolder} from '../model/folder.js';
import {answeredInputs, taskTokens} from '../recipes/manual/session.js';
import type {EditItem} from '../recipes/manual/types.js';
import {alignSpans} from '../text/spans.js';
import type {Store} from '../store/store.js';
import type {Task} from '../task/task.js';
import {screenCommand} from '../screens.js';
import {runEdit} from './manual.js';
import {
	list, requireTerminal, warn, type GlobalArgs, prepareModels, openDatabase,
} from './shared.js';

type Args = GlobalArgs & {
	silver: string;
	gold: string;
	model: string;
	label?: string;
	backend?: string;
	'highlight-chars'?: boolean;
	session?: string;
};

/**
 * The inputs of the silver datasets' yes/no answers, merged per input: each
 * becomes an example to correct, with the answers the model's analysis must keep.
 */
export async function silverItems(database: Store, datasets: readonly string[], labels: readonly string[], skip: ReadonlySet<number>): Promise<EditItem[]> {
	const tasks: Task[] = [];
	for (const name of datasets) {
		// eslint-disable-next-line no-await-in-loop
		if (!await database.dataset(name)) {
			throw new UserError(`There is no dataset "${name}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
		}

		// eslint-disable-next-line no-await-in-loop
		for (const example of await database.examples(name)) {
			if (isBinary(example.task)) {
				tasks.push(example.task);
			}
		}
	}

	if (tasks.length === 0) {
		throw new UserError(`${datasets.join(', ')}: no yes/no answers (from teach) to turn into gold. For complete annotations use \`inkling review\`.`);
	}

	const keep = (span: {label: string}) => labels.includes(span.label);
	return mergeAnswers(tasks).filter(input => !skip.has(input.inputHash) && input.accepted.length + input.rejected.length > 0).map(input => {
		const tokens = taskTokens(input.text);
		const accepted = alignSpans(tokens, input.accepted.filter(span => keep(span))).aligned.map(({
			start, end, token_start, token_end, label,
		}) => ({
			start, end, token_start, token_end, label,
		}));
		return {
			text: input.text,
			tokens,
			spans: accepted,
			inputHash: input.inputHash,
			constraints: {accepted, rejected: input.rejected.filter(span => keep(span))},
		};
	});
}

export const silverToGold: CommandModule<GlobalArgs, Args> = {
	command: screenCommand('silver-to-gold', '<silver> <gold> <model>'),
	describe: 'Turn teach\'s yes/no answers into gold: each text with the model\'s best analysis that agrees with them, to correct',
	builder: yargs => yargs
		.positional('silver', {type: 'string', demandOption: true, describe: 'Datasets of yes/no answers (from teach), comma-separated'})
		.positional('gold', {type: 'string', demandOption: true, describe: 'Dataset to save the corrected examples to'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder whose analysis fills in what the answers leave open'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels, comma-separated (default: the labels of the answers)'})
		.option('backend', {choices: backendNames, describe: 'TensorFlow.js backend (default: the fastest that loads)'})
		.option('highlight-chars', {type: 'boolean', describe: 'Select characters rather than whole tokens'})
		.option('session', {type: 'string', describe: 'Annotator name (answers saved under <gold>-<name>)'})
		.example('$0 silver-to-gold jobs_teach jobs_gold models/job_titles', 'Correct the texts teach asked about into a gold set')
		.epilog('Each example starts with every span answered yes, none answered no, and the model\'s best other spans; the keys are manual\'s (see `inkling manual --help`).'),
	async handler(argv) {
		requireTerminal('silver-to-gold', 'to export answers use `inkling db-out`.');
		const folder = resolveModelFolder(argv.model);
		const known = modelLabels(argv.model);
		await prepareModels(argv.model);
		const database = await openDatabase(argv, {flush: 'soon'});
		let plan;
		try {
			const silver = list(argv.silver);
			const present = await Promise.all(silver.map(async name => database.dataset(name)));
			const missing = silver.find((_name, index) => !present[index]);
			if (missing) {
				throw new UserError(`There is no dataset "${missing}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
			}

			const found = await Promise.all(silver.map(async name => database.examples(name)));
			const silverTasks = found.flat().map(example => example.task);
			const answered = [...new Set(silverTasks.filter(task => isBinary(task)).flatMap(task => (task.spans ?? []).map(span => span.label)))];
			const labels = list(argv.label).length > 0 ? list(argv.label) : answered;
			if (labels.length === 0) {
				throw new UserError(`No labels: ${silver.join(', ')} has no answered spans; give labels with -l.`);
			}

			const unknown = labels.filter(label => !known.includes(label));
			if (unknown.length > 0) {
				warn(`${argv.model} does not predict ${unknown.join(', ')}: those spans come only from the answers`);
			}

			const {skip, count} = await answeredInputs(database, argv.gold, [], argv.session);
			const items = await silverItems(database, silver, labels, skip);
			plan = {
				dataset: argv.gold,
				labels,
				...(argv.session === undefined ? {} : {sessionName: argv.session}),
				viewId: 'ner_manual',
				recipe: 'silver-to-gold',
				items: items[Symbol.iterator](),
				answeredBefore: count,
				model: {
					model: folder, labels, update: false, ...(argv.backend === undefined ? {} : {backend: argv.backend}),
				},
			};
		} catch (error) {
			await database.close();
			throw error;
		}

		await runEdit(database, plan, {...argv, dataset: argv.gold, source: argv.silver});
	},
};
