import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {backendNames, loadBackend, type BackendName} from '../model/backend.js';
import {scoreTable} from './format.js';
import {withDatabase, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; model: string; json: boolean; compare?: string; backend?: BackendName};

export const evaluate: CommandModule<GlobalArgs, Args> = {
	command: 'eval <dataset> <model>',
	describe: 'Score a model on a gold dataset or file: precision, recall and F1 per label',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Gold dataset or data file (yes/no answers are counted too)'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder'})
		.option('json', {type: 'boolean', default: false, describe: 'Print {"precision", "recall", "f1", "per_label", "tokens_per_second"}'})
		.option('compare', {type: 'string', describe: 'More models to score side by side, comma-separated'})
		.option('backend', {type: 'string', choices: backendNames, describe: 'TensorFlow.js backend'})
		.example('$0 eval job_titles_gold models/job_titles', 'Score a model on a gold set')
		.example('$0 eval ./test.jsonl models/conll --json', 'Scores as JSON for a script'),
	async handler(argv) {
		if (argv.compare) {
			throw new UserError('--compare is not built yet (it is planned in issue #6); run eval once per model for now.');
		}

		await loadBackend(argv.backend ? {prefer: argv.backend} : {});
		const [{NerModel}, {evaluateTasks}, {loadTasks}] = await Promise.all([import('../model/model.js'), import('../model/evaluate.js'), import('../recipes/train.js')]);
		const model = NerModel.load(argv.model);
		try {
			const tasks = await withDatabase(argv, database => loadTasks(database, argv.dataset));
			const evaluation = evaluateTasks(model.network, tasks);
			if (!evaluation.gold && !evaluation.binary) {
				throw new UserError(`${argv.dataset}: no answers to score against (no accepted or rejected examples).`);
			}

			if (argv.json) {
				const {gold} = evaluation;
				console.log(JSON.stringify({
					...(gold
						? {
							precision: gold.precision, recall: gold.recall, f1: gold.f1, per_label: gold.per_label,
						}
						: {}),
					...(evaluation.binary ? {binary: evaluation.binary} : {}),
					tokens_per_second: evaluation.tokensPerSecond,
				}, null, 2));
				return;
			}

			console.log(scoreTable(evaluation));
			console.log(`${evaluation.tokens} tokens in ${evaluation.seconds.toFixed(2)} s (${Math.round(evaluation.tokensPerSecond)} tokens/s)`);
		} finally {
			model.dispose();
		}
	},
};
