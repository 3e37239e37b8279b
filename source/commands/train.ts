import type {CommandModule} from 'yargs';
import {loadBackend, backendNames, type BackendName} from '../model/backend.js';
import type {TrainResult} from '../recipes/train.js';
import {Database} from '../store/database.js';
import {databasePath} from '../store/paths.js';
import {progressBar, scoreTable} from './format.js';
import {list, warn, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {
	datasets: string;
	model: string;
	label?: string;
	output?: string;
	'eval-split'?: number;
	'eval-id'?: string;
	'n-iter': number;
	dropout: number;
	'batch-size': number;
	'learn-rate': number;
	seed: number;
	backend?: BackendName;
	vectors?: string;
	json: boolean;
};

export const train: CommandModule<GlobalArgs, Args> = {
	command: ['train <datasets> <model>', 'ner.batch-train'],
	describe: 'Train a model from datasets of gold and yes/no answers',
	builder: yargs => yargs
		.positional('datasets', {type: 'string', demandOption: true, describe: 'Datasets or data files (JSONL, JSON, CoNLL), comma-separated'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Base model folder to start from, or "blank"'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels to learn, comma-separated (default: all in the data, or the base model\'s)'})
		.option('output', {alias: 'o', type: 'string', describe: 'Folder to write model-best and model-last to'})
		.option('eval-split', {alias: 'es', type: 'number', describe: 'Share of inputs held out for evaluation, chosen by input hash so it stays fixed as data grows'})
		.option('eval-id', {alias: 'e', type: 'string', describe: 'Gold dataset or file to evaluate on (its inputs are not trained on)'})
		.option('n-iter', {
			alias: 'n', type: 'number', default: 10, describe: 'Epochs',
		})
		.option('dropout', {
			alias: 'd', type: 'number', default: 0.2, describe: 'Dropout rate',
		})
		.option('batch-size', {
			alias: 'b', type: 'number', default: 2000, describe: 'Tokens per batch (padded)',
		})
		.option('learn-rate', {type: 'number', default: 0.002, describe: 'Adam learning rate'})
		.option('seed', {type: 'number', default: 0, describe: 'Random seed: the same seed, data and backend give the same model'})
		.option('backend', {type: 'string', choices: backendNames, describe: 'TensorFlow.js backend (default: the fastest that loads)'})
		.option('vectors', {type: 'string', describe: 'Static word vectors: a word2vec or fastText text file (with "blank" only; saved with the model)'})
		.option('json', {type: 'boolean', default: false, describe: 'Print the result as JSON (no progress)'})
		.example('$0 train job_titles blank -o models/job_titles -es 0.2', 'Train a first model, holding out 20% to score it')
		.example('$0 train job_titles,job_titles_1 models/job_titles -o models/job_titles_1 -e job_titles_gold', 'Improve a model; its old scores print beside the new'),
	async handler(argv) {
		const loaded = await loadBackend(argv.backend ? {prefer: argv.backend} : {});
		// Imported here: loading tfjs takes half a second, which other commands should not pay.
		const {trainRecipe} = await import('../recipes/train.js');
		const database = Database.open(databasePath(argv.db), {onWarning: warn});
		const terminal = process.stderr.isTTY && !argv.json;
		let result: TrainResult | undefined;
		let epochStarted = performance.now();
		try {
			const run = trainRecipe(database, {
				sources: list(argv.datasets),
				base: argv.model,
				labels: list(argv.label),
				evalSplit: argv['eval-split'],
				evalId: argv['eval-id'],
				output: argv.output,
				epochs: argv['n-iter'],
				dropout: argv.dropout,
				batchTokens: argv['batch-size'],
				learnRate: argv['learn-rate'],
				seed: argv.seed,
				backend: loaded.backend,
				vectors: argv.vectors,
			});
			for (;;) {
				// eslint-disable-next-line no-await-in-loop
				const step = await run.next();
				if (step.done) {
					result = step.value;
					break;
				}

				const event = step.value;
				if (argv.json) {
					continue;
				}

				if (event.type === 'start') {
					const {train: data, evaluation, labels} = event.start;
					warn(`training on ${data.inputs} inputs (${data.sentences} sentences, ${data.tokens} tokens), labels ${labels.join(', ')}, backend ${loaded.backend}`);
					if (data.misaligned + data.notCandidates > 0) {
						warn(`${data.misaligned} spans do not align with tokens and ${data.notCandidates} cannot be proposed (too long, or punctuation at an edge): the model cannot learn these`);
					}

					warn(evaluation ? `evaluating on ${evaluation.inputs} held-out inputs` : 'no evaluation set: give -es 0.2 or -e GOLD to see scores');
				} else if (event.type === 'batch' && terminal) {
					const {progress} = event;
					if (progress.batch === 1) {
						epochStarted = performance.now();
					}

					const eta = ((performance.now() - epochStarted) / progress.batch) * (progress.batches - progress.batch) / 1000;
					process.stderr.write(`\r\u001B[2Kepoch ${progress.epoch} ${progressBar(progress.batch, progress.batches)} loss ${progress.loss.toFixed(4)}  ${Math.round(progress.tokensPerSecond)} tok/s  eta ${Math.ceil(eta)} s`);
				} else if (event.type === 'epoch') {
					const f1 = event.evaluation?.gold ? `  F1 ${(event.evaluation.gold.f1 * 100).toFixed(2)}` : '';
					process.stderr.write(`${terminal ? '\r\u001B[2K' : ''}epoch ${event.epoch}  loss ${event.loss.toFixed(4)}${f1}  ${Math.round(event.tokensPerSecond)} tok/s${event.best ? '  (best)' : ''}\n`);
				}
			}
		} finally {
			await database.close();
		}

		if (argv.json) {
			console.log(JSON.stringify(result, null, 2));
			return;
		}

		if (result.best.evaluation) {
			console.log(`Best epoch ${result.best.epoch} of ${result.epochs.length}${result.base ? ' (base model beside it, on the same evaluation set)' : ''}:`);
			console.log(scoreTable(result.best.evaluation, result.base));
			const baseF1 = result.base?.gold?.f1;
			const newF1 = result.best.evaluation.gold?.f1;
			if (baseF1 !== undefined && newF1 !== undefined && newF1 < baseF1) {
				console.log(`Warning: the new model is WORSE than the base model (F1 ${(newF1 * 100).toFixed(2)} < ${(baseF1 * 100).toFixed(2)}).`);
			}
		}

		if (result.output) {
			console.log(`Saved ${result.output}/model-best and ${result.output}/model-last (${result.seconds.toFixed(0)} s)`);
		}
	},
};
