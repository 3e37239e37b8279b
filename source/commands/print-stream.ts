import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import {backendNames, loadBackend, type BackendName} from '../model/backend.js';
import {readTasks} from '../store/formats.js';
import {markSpans, colorWanted} from '../text/terminal-safe.js';
import {checkWorkers, startScoring, workersOption} from './scoring-threads.js';
import {list, type GlobalArgs, prepareModels} from './shared.js';

type Args = GlobalArgs & {model: string; source: string; label?: string; threshold: number; backend?: BackendName; workers?: number};

export const printStream: CommandModule<GlobalArgs, Args> = {
	command: ['print-stream <model> <source>', 'ner.print-stream'],
	describe: 'Print a model\'s entities over a source: highlighted on a terminal, JSONL when piped',
	builder: yargs => yargs
		.positional('model', {type: 'string', demandOption: true, describe: 'Model folder'})
		.positional('source', {type: 'string', demandOption: true, describe: 'JSONL file of {"text"} lines (or any input format)'})
		.option('label', {alias: 'l', type: 'string', describe: 'Only these labels, comma-separated'})
		.option('threshold', {type: 'number', default: 0.5, describe: 'Lowest probability to show'})
		.option('backend', {type: 'string', choices: backendNames, describe: 'TensorFlow.js backend'})
		.option('workers', workersOption)
		.example('$0 print-stream models/job_titles ads.jsonl', 'See what the model finds')
		.example('$0 print-stream models/job_titles ads.jsonl > found.jsonl', 'Save its predictions as tasks'),
	async handler(argv) {
		checkWorkers(argv.workers);
		await prepareModels(argv.model);
		const {backend} = await loadBackend(argv.backend ? {prefer: argv.backend} : {});
		const {NerModel} = await import('../model/model.js');
		const model = NerModel.load(argv.model);
		// As teach matches them: `-l job_title` is the model's JOB_TITLE.
		const only = new Set(list(argv.label).map(label => {
			const known = model.labels.find(item => item === label) ?? model.labels.find(item => item.toLowerCase() === label.toLowerCase());
			if (!known) {
				model.dispose();
				throw new UserError(`-l ${label}: ${argv.model} does not predict that label; it knows ${model.labels.join(', ')}.`);
			}

			return known;
		}));
		const {tasks, bad} = readTasks(argv.source);
		if (tasks.length === 0) {
			model.dispose();
			throw new UserError(`${argv.source}: holds no texts${bad.length > 0 ? ` (all ${bad.length} lines are bad; the first, line ${bad[0]!.line}: ${bad[0]!.problem})` : ''}.`);
		}

		if (bad.length > 0) {
			process.stderr.write(`inkling: skipping ${bad.length} bad lines of ${argv.source} (first: line ${bad[0]!.line}: ${bad[0]!.problem})\n`);
		}

		const pool = await startScoring(model.folder, backend, argv.workers, tasks.map(task => task.text));
		const terminal = Boolean(process.stdout.isTTY);
		const color = colorWanted();
		try {
			// In chunks, so the first lines show before the whole file is scored; larger with helper threads, so each chunk is many batches.
			const size = pool ? 1024 : 64;
			for (let index = 0; index < tasks.length; index += size) {
				const chunk = tasks.slice(index, index + size);
				const texts = chunk.map(task => task.text);
				// eslint-disable-next-line no-await-in-loop
				const found = pool ? await model.predictInPool(pool, texts, argv.threshold) : model.predict(texts, argv.threshold);
				const lines = chunk.map((task, offset) => {
					const spans = found[offset]!
						.filter(span => only.size === 0 || only.has(span.label))
						.map(span => ({...span, text: task.text.slice(span.start, span.end), score: Number(span.score.toFixed(4))}));
					return terminal ? markSpans(task.text, spans, model.labels, color) : JSON.stringify({...task, spans});
				});
				process.stdout.write(lines.join(terminal ? '\n\n' : '\n') + '\n');
			}
		} finally {
			await pool?.close();
			model.dispose();
		}
	},
};
