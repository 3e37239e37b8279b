import type {CommandModule} from 'yargs';
import {loadBackend} from '../model/backend.js';
import type {TrainResult} from '../recipes/train.js';
import {terminalSafe} from '../text/terminal-safe.js';
import {
	evaluationNotes, progressBar, scoreTable, thresholdLine, verdictLine,
} from './format.js';
import {
	plural, warn, type GlobalArgs, prepareModels, openDatabase,
} from './shared.js';
import {trainingFlags, trainingOptions, type TrainingArgs} from './training-flags.js';

type Args = TrainingArgs & {output?: string; float16: boolean};

export const train: CommandModule<GlobalArgs, Args> = {
	command: ['train <datasets> <model>', 'ner.batch-train'],
	describe: 'Train a model from datasets of gold and yes/no answers',
	builder: yargs => trainingFlags(yargs, {epochs: 10})
		.option('output', {alias: 'o', type: 'string', describe: 'Folder to write model-best and model-last to'})
		.option('float16', {type: 'boolean', default: false, describe: 'Store the saved weights at half precision: half the size, probabilities within about 1e-3'})
		.example('$0 train job_titles blank -o models/job_titles -es 0.2', 'Train a first model, holding out 20% to score it')
		.example('$0 train job_titles,job_titles_1 models/job_titles -o models/job_titles_1 -e job_titles_gold', 'Improve a model; its old scores print beside the new'),
	async handler(argv) {
		await prepareModels(argv.model);
		const loaded = await loadBackend(argv.backend ? {prefer: argv.backend} : {});
		// Imported here: loading tfjs takes half a second, which other commands should not pay.
		const [{trainRecipe}, {lossesText}] = await Promise.all([import('../recipes/train.js'), import('../recipes/losses.js')]);
		const database = await openDatabase(argv);
		const terminal = process.stderr.isTTY && !argv.json;
		let result: TrainResult | undefined;
		let epochStarted = performance.now();
		try {
			const run = trainRecipe(database, {
				...trainingOptions(argv, loaded.backend), output: argv.output, float16: argv.float16,
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
					const {train: data, evaluation, labels, kinds} = event.start;
					warn(terminalSafe(`training on ${plural(data.inputs, 'input')} (${data.sentences} sentences, ${data.tokens} tokens; ${plural(kinds.binary, 'yes/no answer')}, ${plural(kinds.gold, 'gold example')}), labels ${labels.join(', ')}, backend ${loaded.backend}`));
					if (data.misaligned + data.notCandidates > 0) {
						warn(`${data.misaligned} spans do not align with tokens and ${data.notCandidates} cannot be proposed (too long, or punctuation at an edge): the model cannot learn these`);
					}

					warn(evaluation ? `evaluating on ${evaluation.inputs} held-out inputs` : 'no evaluation set: give -es 0.2 or -e GOLD to see scores');
					const {rehearsal} = event.start;
					if (rehearsal && rehearsal.inputs > 0) {
						warn(terminalSafe(`rehearsing ${rehearsal.inputs} of the ${rehearsal.available} inputs the base model was trained on (${rehearsal.sources.join(', ')}), so it does not forget them; --no-rehearse for the new data only`));
					}

					if (rehearsal && rehearsal.missing.length > 0) {
						warn(terminalSafe(`the base model's training data ${rehearsal.missing.join(', ')} is not found (moved, or a dataset of another database): not rehearsed, so the new model may forget what it knew`));
					}

					for (const line of evaluationNotes(event.start)) {
						warn(line);
					}

					if (!argv.output) {
						warn('the model will not be saved: give -o FOLDER to keep it');
					}
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
			const threshold = thresholdLine(result.best.evaluation);
			if (threshold) {
				console.log(threshold);
			}

			if (result.verdict) {
				console.log(verdictLine(result.verdict));
				const losses = result.verdict.losses && lossesText(result.verdict.losses);
				if (losses) {
					console.log(losses);
				}
			} else if (result.base && !result.best.evaluation.gold) {
				console.log('Verdict: none. These figures are yes/no answers, not gold: to know whether the new model is better than the base, give a gold set with -e/--eval-id.');
			}
		}

		console.log(result.output
			? `Saved ${result.output}/model-best and ${result.output}/model-last (${result.seconds.toFixed(0)} s)`
			: `Not saved: no -o/--output was given (${result.seconds.toFixed(0)} s).`);
	},
};
