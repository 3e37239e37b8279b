import type {CommandModule} from 'yargs';
import {databaseStats, datasetStats, type DatasetStats} from '../recipes/db.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {plural, withDatabase, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {
	dataset?: string;
	json: boolean;
	'list-datasets': boolean;
	'list-sessions': boolean;
};

function formatDate(seconds: number): string {
	return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

function describe(stats: DatasetStats, withSessions: boolean): string {
	const lines = [
		`Dataset     ${stats.name}`,
		`Created     ${formatDate(stats.created)}`,
		`Examples    ${stats.examples} (${stats.inputs} distinct texts)`,
		`Answers     accept ${stats.answers.accept}, reject ${stats.answers.reject}, ignore ${stats.answers.ignore}${stats.answers.none > 0 ? `, none ${stats.answers.none}` : ''}`,
		`Kinds       ${stats.kinds.binary} yes/no answers about single spans, ${stats.kinds.gold} gold (complete annotations)`,
		`Labels      ${Object.entries(stats.labels).sort(([, a], [, b]) => b - a).map(([label, count]) => `${label} ${count}`).join(', ') || '(no spans)'}`,
		`Sessions    ${stats.sessions.length}`,
	];
	if (withSessions) {
		for (const session of stats.sessions) {
			lines.push(`  ${session.id}  ${formatDate(session.created)}  ${session.examples} examples`);
		}
	}

	return lines.join('\n');
}

export const stats: CommandModule<GlobalArgs, Args> = {
	command: 'stats [dataset]',
	describe: 'Counts for a dataset (per answer, per label, sessions), or the list of datasets',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', describe: 'Dataset to count (else the whole database)'})
		.option('json', {type: 'boolean', default: false, describe: 'Print JSON'})
		.option('list-datasets', {
			alias: 'l', type: 'boolean', default: false, describe: 'List the datasets',
		})
		.option('list-sessions', {type: 'boolean', default: false, describe: 'List the sessions'})
		.example('$0 stats', 'The database and its datasets')
		.example('$0 stats news --json', 'Counts for one dataset as JSON'),
	async handler(argv) {
		await withDatabase(argv, async database => {
			if (argv.dataset) {
				const result = await datasetStats(database, argv.dataset);
				console.log(argv.json ? JSON.stringify(result, null, 2) : terminalSafe(describe(result, argv['list-sessions'])));
				return;
			}

			const overall = await databaseStats(database);
			const perDataset = await Promise.all(overall.datasets.map(async name => datasetStats(database, name)));
			if (argv.json) {
				console.log(JSON.stringify({...overall, datasets: perDataset}, null, 2));
				return;
			}

			console.log(`Database    ${overall.database}\nExamples    ${overall.examples}\nDatasets    ${overall.datasets.length}`);
			for (const dataset of perDataset) {
				console.log(terminalSafe(`  ${dataset.name}  ${plural(dataset.examples, 'example')}, ${plural(dataset.sessions.length, 'session')}`));
				if (argv['list-sessions']) {
					for (const session of dataset.sessions) {
						console.log(`    ${session.id}  ${session.examples} examples`);
					}
				}
			}
		});
	},
};
