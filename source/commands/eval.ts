import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {backendNames, loadBackend, type BackendName} from '../model/backend.js';
import {scoreTable} from './format.js';
import {
	checkWorkers, keepForData, startScoring, workersOption,
} from './scoring-threads.js';
import {
	list, warn, withDatabase, type GlobalArgs, prepareModels,
} from './shared.js';

type Args = GlobalArgs & {dataset: string; model: string; json: boolean; compare?: string; backend?: BackendName; workers?: number};

export const evaluate: CommandModule<GlobalArgs, Args> = {
	command: 'eval <dataset> <model>',
	describe: 'Score a model on a gold dataset or file: precision, recall and F1 per label',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Gold dataset or data file (yes/no answers are counted too)'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder (model A with --compare)'})
		.option('json', {type: 'boolean', default: false, describe: 'Print {"precision", "recall", "f1", "per_label", "tokens_per_second"}; with --compare, {"models", "differences"}'})
		.option('compare', {type: 'string', describe: 'More model folders to score beside <model> on the same gold set, comma-separated: F1 per label, the difference from <model>, and a paired bootstrap 95% interval on it'})
		.option('backend', {type: 'string', choices: backendNames, describe: 'TensorFlow.js backend'})
		.option('workers', workersOption)
		.example('$0 eval job_titles_gold models/job_titles', 'Score a model on a gold set')
		.example('$0 eval ./test.jsonl models/conll --json', 'Scores as JSON for a script')
		.example('$0 eval job_titles_gold models/job_titles --compare models/job_titles_1', 'Is the new model better, on the same gold set?'),
	async handler(argv) {
		await prepareModels(argv.model, ...list(argv.compare));
		if (argv.compare !== undefined) {
			await compare(argv);
			return;
		}

		const {workers} = argv;
		checkWorkers(workers);
		const {backend} = await loadBackend(argv.backend ? {prefer: argv.backend} : {});
		const [{NerModel}, {evaluateTasks, evaluateTasksInPool}, {loadTasks}] = await Promise.all([import('../model/model.js'), import('../model/evaluate.js'), import('../recipes/train.js')]);
		const model = NerModel.load(argv.model);
		// The helper threads load (about a second) while the data is read and prepared, and join in when ready.
		let pool = await startScoring(model.folder, backend, workers);
		try {
			const tasks = await withDatabase(argv, async database => loadTasks(database, argv.dataset));
			pool = keepForData(pool, workers, tasks.map(task => task.text));
			const unknown = [...new Set(tasks.flatMap(task => (task.spans ?? []).map(span => span.label)))].filter(label => !model.labels.includes(label));
			if (unknown.length > 0) {
				warn(`${argv.dataset} has spans labelled ${unknown.join(', ')}, which the model does not predict (it knows ${model.labels.join(', ')}): they are not scored.`);
			}

			const evaluation = pool ? await evaluateTasksInPool(model.network, tasks, pool) : evaluateTasks(model.network, tasks);
			if (!evaluation.gold && !evaluation.binary) {
				throw new UserError(`${argv.dataset}: no answers to score against (no accepted or rejected examples).`);
			}

			const goldSpans = evaluation.gold ? evaluation.gold.tp + evaluation.gold.fn : 0;
			if (evaluation.gold && goldSpans === 0 && !evaluation.binary) {
				throw new UserError(`${argv.dataset}: nothing to score: its gold examples have no spans of the model's labels (${model.labels.join(', ')}), so precision, recall and F1 say nothing.`);
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
			await pool?.close();
			model.dispose();
		}
	},
};

/** `eval --compare`: the models side by side on one gold set. */
async function compare(argv: Args): Promise<void> {
	const folders = [...new Set([argv.model, ...list(argv.compare)])];
	if (folders.length < 2) {
		throw new UserError(`--compare: name one or more other model folders to score beside ${argv.model}, comma-separated.`);
	}

	checkWorkers(argv.workers);
	const {backend} = await loadBackend(argv.backend ? {prefer: argv.backend} : {});
	const [{compareModels, comparisonJson, comparisonTable}, {loadTasks}] = await Promise.all([import('../recipes/compare.js'), import('../recipes/train.js')]);
	const tasks = await withDatabase(argv, async database => loadTasks(database, argv.dataset));
	// The helpers load every model once (starting when the data is known to be large enough), and score each in turn.
	const pool = await startScoring(folders, backend, argv.workers, tasks.map(task => task.text));
	try {
		const comparison = await compareModels(tasks, folders, {pool});
		console.log(argv.json ? JSON.stringify(comparisonJson(comparison), null, 2) : comparisonTable(comparison));
	} finally {
		await pool?.close();
	}
}
