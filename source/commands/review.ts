import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {reviewPlan} from '../recipes/manual/review.js';
import {answeredInputs} from '../recipes/manual/session.js';
import {screenCommand} from '../screens.js';
import {runEdit} from './manual.js';
import {
	list, requireTerminal, warn, type GlobalArgs, openDatabase, startOrClose,
} from './shared.js';

type Args = GlobalArgs & {
	output: string;
	inputs: string;
	label?: string;
	'auto-accept'?: boolean;
	'highlight-chars'?: boolean;
};

export const review: CommandModule<GlobalArgs, Args> = {
	command: screenCommand('review', '<output> <inputs>'),
	describe: 'Review examples annotated more than once: see the versions, pick or edit the right one',
	builder: yargs => yargs
		.positional('output', {type: 'string', demandOption: true, describe: 'Dataset to save the reviewed examples to'})
		.positional('inputs', {type: 'string', demandOption: true, describe: 'Datasets of complete annotations (manual, correct), comma-separated; several annotators may share one (manual --session NAME)'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels in the order of their number keys (default: the labels of the versions)'})
		.option('auto-accept', {type: 'boolean', describe: 'Save examples whose versions all agree without showing them'})
		.option('highlight-chars', {type: 'boolean', describe: 'Select characters rather than whole tokens'})
		.example('$0 review news_final news_alice,news_bob', 'Settle where two annotators differ')
		.example('$0 review news_final news --auto-accept', 'Annotators who shared one dataset with --session; agreements saved at once')
		.epilog('Each example opens with the version most annotators gave; the others are listed under it, and tab takes the next. Edit it with manual\'s keys (see `inkling manual --help`) and press enter. Examples annotated once are left out.'),
	async handler(argv) {
		requireTerminal('review', 'to merge datasets from a script use `inkling db-out` and `inkling db-in`.');
		const database = await openDatabase(argv, {flush: 'soon'});
		let plan;
		let agreed = 0;
		try {
			const inputs = list(argv.inputs);
			if (inputs.includes(argv.output)) {
				throw new UserError(`${argv.output} is both the output and an input: save the reviewed examples to a new dataset.`);
			}

			const {skip, count} = await answeredInputs(database, argv.output, []);
			const found = await reviewPlan(database, inputs, {autoAccept: argv['auto-accept'] ?? false, skip});
			const labels = list(argv.label).length > 0 ? list(argv.label) : [...new Set(found.items.flatMap(item => item.versions!.flatMap(version => version.spans.map(span => span.label))))];
			if (found.agreed.length > 0) {
				const session = await database.startSession(argv.output, {meta: {recipe: 'review', auto_accept: true}});
				await database.addMany(argv.output, session, found.agreed.map(task => ({...task, _session_id: session})));
				agreed = found.agreed.length;
			}

			if (found.items.length === 0) {
				await database.close();
				console.log(`Nothing to review in ${inputs.join(', ')}: ${agreed > 0 ? `${agreed} examples whose versions agree were saved to ${argv.output}; ` : ''}${found.single} examples were annotated once${count > 0 ? `, ${count} are already in ${argv.output}` : ''}.`);
				return;
			}

			plan = {
				dataset: argv.output,
				labels: labels.length > 0 ? labels : ['ENTITY'],
				viewId: 'ner_manual',
				recipe: 'review',
				items: found.items[Symbol.iterator](),
				answeredBefore: count + agreed,
			};
			warn(`${found.items.length} example${found.items.length === 1 ? '' : 's'} to review${agreed > 0 ? `; ${agreed} whose versions agree saved to ${argv.output}` : ''}${found.single > 0 ? `; ${found.single} annotated once left out` : ''}`);
		} catch (error) {
			await database.close();
			throw error;
		}

		await runEdit(database, plan, {...argv, dataset: argv.output, source: argv.inputs});
	},
};
