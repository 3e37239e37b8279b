import type {CommandModule} from 'yargs';
import {loadBackend} from '../model/backend.js';
import {UserError} from '../errors.js';
import {
	warn, type GlobalArgs, prepareModels, openDatabase,
} from './shared.js';
import {trainingFlags, trainingOptions, type TrainingArgs} from './training-flags.js';

type Args = TrainingArgs & {'n-samples': number};

/** A small chart of F1 against the share of data, one row per point. */
function chart(points: Array<{share: number; f1: number}>): string {
	const width = 40;
	return points.map(point => `${`${Math.round(point.share * 100)}%`.padStart(5)}  ${(point.f1 * 100).toFixed(2).padStart(6)}  ${'█'.repeat(Math.round(point.f1 * width))}`).join('\n');
}

export const trainCurve: CommandModule<GlobalArgs, Args> = {
	command: ['train-curve <datasets> <model>', 'ner.train-curve'],
	describe: 'Train on 25/50/75/100% of the data against one evaluation set, to see whether more data helps',
	builder: yargs => trainingFlags(yargs, {epochs: 5, evalSplit: 0.2})
		.option('n-samples', {type: 'number', default: 4, describe: 'Points on the curve (4 gives 25/50/75/100%)'})
		.example('$0 train-curve job_titles blank -es 0.2', 'Would more job-title answers help?'),
	async handler(argv) {
		if (!Number.isInteger(argv['n-samples']) || argv['n-samples'] < 2) {
			throw new UserError('--n-samples: give a whole number of points, 2 or more.');
		}

		await prepareModels(argv.model);
		const loaded = await loadBackend(argv.backend ? {prefer: argv.backend} : {});
		const {trainRecipe, headline} = await import('../recipes/train.js');
		const database = await openDatabase(argv);
		const points: Array<{share: number; f1: number; inputs: number; epoch: number}> = [];
		try {
			for (let point = 1; point <= argv['n-samples']; point++) {
				const share = point / argv['n-samples'];
				const run = trainRecipe(database, {...trainingOptions(argv, loaded.backend), sample: share});
				let inputs = 0;
				for (;;) {
					// eslint-disable-next-line no-await-in-loop
					const step = await run.next();
					if (step.done) {
						const score = headline(step.value.best.evaluation);
						if (score === undefined) {
							throw new UserError('No evaluation set: give -es 0.2 or -e GOLD.');
						}

						points.push({
							share, f1: score, inputs, epoch: step.value.best.epoch,
						});
						if (!argv.json) {
							warn(`${Math.round(share * 100)}% (${inputs} inputs): best F1 ${(score * 100).toFixed(2)} at epoch ${step.value.best.epoch}`);
						}

						break;
					}

					if (step.value.type === 'start') {
						inputs = step.value.start.train.inputs;
					}
				}
			}
		} finally {
			await database.close();
		}

		if (argv.json) {
			console.log(JSON.stringify({points}, null, 2));
			return;
		}

		console.log(chart(points));
		const last = points.at(-1)!.f1;
		const before = points.at(-2)!.f1;
		console.log(last - before > 0.01
			? `F1 still rose by ${((last - before) * 100).toFixed(2)} points over the last step: more data is likely to help.`
			: 'F1 has levelled off: more of the same data is unlikely to help much.');
	},
};
