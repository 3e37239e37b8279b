// Train a job-title (Designation) model on whole CVs from dotin_resumes (split
// into sentences by the model), choosing the epoch and threshold on dev, and
// print precision, recall and F1 on test. Usage: npm run bench:job-titles [-- --epochs 8 --word-dropout 0.1 --vectors TABLE|default --dilations 1,2,4,1 --chars 32 --seed 0]
// Without --vectors the model has no pretrained vectors; `default` is the default vectors' table, as `train ... blank` uses.
import path from 'node:path';
import {parseArgs} from 'node:util';
import {loadBackend, type BackendName} from '../source/model/backend.js';
import {defaultVectorTable} from '../source/model/default-vectors.js';
import {evaluateTasks} from '../source/model/evaluate.js';
import {NerModel} from '../source/model/model.js';
import {loadTasks, trainRecipe} from '../source/recipes/train.js';
import {
	charsOverride, describeChars, parseChars, parseDilations,
} from './network-flags.js';
import {temporaryFolderFor} from './temporary.js';

const {values: flags} = parseArgs({
	options: {
		epochs: {type: 'string', default: '8'},
		backend: {type: 'string', default: 'wasm'},
		dropout: {type: 'string', default: '0.2'},
		'word-dropout': {type: 'string'},
		vectors: {type: 'string'},
		// Each encoder layer's dilation (the depth follows); the default model's when absent.
		dilations: {type: 'string'},
		// A character CNN: FILTERS[.WIDTH[.MAXCHARS]]; the default model's when absent.
		chars: {type: 'string'},
		seed: {type: 'string', default: '0'},
	},
});
const dilations = parseDilations(flags.dilations);

const chars = parseChars(flags.chars);
const vectors = flags.vectors === 'default' ? await defaultVectorTable() : flags.vectors;
const folder = path.resolve(import.meta.dirname, '../../shared/datasets/dotin_resumes');
const backend = await loadBackend({prefer: flags.backend as BackendName});
console.log(`node ${process.version}, backend ${backend.backend}, vectors ${vectors ?? 'none'}, dilations ${dilations?.join(',') ?? 'none'}, chars ${describeChars(chars)}, seed ${flags.seed}`);
const output = temporaryFolderFor('job-titles');
try {
	const run = trainRecipe(undefined, {
		sources: [path.join(folder, 'train.jsonl')],
		base: 'blank',
		labels: ['Designation'],
		evalId: path.join(folder, 'dev.jsonl'),
		output: output.path,
		epochs: Number(flags.epochs),
		dropout: Number(flags.dropout),
		seed: Number(flags.seed),
		...(vectors ? {vectors} : {}),
		overrides: {...(dilations ? {dilations, depth: dilations.length} : {}), ...charsOverride(chars)},
		...(flags['word-dropout'] === undefined ? {} : {wordDropout: Number(flags['word-dropout'])}),
	});
	for (;;) {
		const step = await run.next();
		if (step.done) {
			console.log(`best epoch ${step.value.best.epoch}, trained ${step.value.seconds.toFixed(0)} s`);
			break;
		}

		const event = step.value;
		if (event.type === 'start') {
			const {train} = event.start;
			console.log(`train: ${train.inputs} CVs, ${train.sentences} sentences, ${train.tokens} tokens, ${train.spans} spans (${train.misaligned} misaligned, ${train.notCandidates} not candidates, ${train.otherLabels} of other labels)`);
		} else if (event.type === 'epoch') {
			console.log(`epoch ${event.epoch}  loss ${event.loss.toFixed(4)}  dev F1 ${((event.evaluation?.gold?.f1 ?? 0) * 100).toFixed(2)} at threshold ${event.evaluation?.threshold ?? '-'}  ${Math.round(event.tokensPerSecond)} tokens/s${event.best ? ' (best)' : ''}`);
		}
	}

	const model = NerModel.load(output.path);
	const test = evaluateTasks(model.network, await loadTasks(undefined, path.join(folder, 'test.jsonl'))).gold!;
	const designation = test.per_label.Designation!;
	console.log(`test Designation: P ${(designation.precision * 100).toFixed(2)}  R ${(designation.recall * 100).toFixed(2)}  F1 ${(designation.f1 * 100).toFixed(2)}  (${designation.tp} found, ${designation.fp} wrong, ${designation.fn} missed)`);
	console.log(JSON.stringify({
		backend: backend.backend, precision: designation.precision, recall: designation.recall, f1: designation.f1,
	}));
	model.dispose();
} finally {
	output.remove();
}
