import {spawnSync} from 'node:child_process';
import type {CommandModule} from 'yargs';
import {UserError} from '../errors.js';
import type {Store} from '../store/store.js';
import {answers as allAnswers, type Answer, type Task} from '../task/task.js';
import {markSpans, colorWanted} from '../text/terminal-safe.js';
import {wrapColoured} from '../ui/layout.js';
import {list, withDatabase, type GlobalArgs} from './shared.js';

type Args = GlobalArgs & {dataset: string; answer?: string; pager?: boolean};

const answerMarks: Record<Answer, string> = {accept: '✓ accept', reject: '✗ reject', ignore: '· ignore'};
const answerColours: Record<Answer, string> = {accept: '\u001B[32m', reject: '\u001B[31m', ignore: '\u001B[2m'};

/** The labels of a dataset's spans, in the order they first appear (so colours stay the same down the page). */
export function datasetLabels(tasks: readonly Task[]): string[] {
	return [...new Set(tasks.flatMap(task => (task.spans ?? []).map(span => span.label)))];
}

/** One answer as the terminal shows it: the answer, its labels for yes/no questions, then the text with its spans bracketed. */
export function formatAnswer(task: Task, number: number, labels: readonly string[], color: boolean, width = Number.POSITIVE_INFINITY): string {
	const answer = task.answer ?? 'accept';
	const mark = color ? `${answerColours[answer]}${answerMarks[answer]}\u001B[0m` : answerMarks[answer];
	const kind = task._view_id === 'ner' ? ' (yes/no on one span)' : '';
	const session = task._session_id ? ` · ${task._session_id}` : '';
	const text = markSpans(task.text, task.spans ?? [], labels, color).replaceAll('\n', '\n      ');
	return `${String(number).padStart(4)}  ${mark}${kind}${session}\n${wrapColoured(`      ${text}`, width, '      ')}`;
}

/** Page long output through $PAGER (or less) on a terminal, as git does; print it when there is no pager. */
function page(text: string, rows: number): void {
	if (text.split('\n').length < rows) {
		process.stdout.write(text);
		return;
	}

	const pager = process.env.PAGER ?? 'less';
	const result = spawnSync(pager, pager === 'less' ? ['-R', '-F', '-X'] : [], {input: text, stdio: ['pipe', 'inherit', 'inherit'], shell: pager !== 'less'});
	if (result.error) {
		process.stdout.write(text);
	}
}

async function selected(database: Store, dataset: string, chosen: readonly Answer[] | undefined): Promise<Task[]> {
	if (!await database.dataset(dataset)) {
		const names = await database.datasets();
		throw new UserError(`There is no dataset "${dataset}" in ${database.location}.${names.length > 0 ? ` Datasets: ${names.join(', ')}.` : ''}`);
	}

	const stored = await database.examples(dataset);
	return stored.map(example => example.task).filter(task => !chosen || chosen.includes(task.answer ?? 'accept'));
}

export const printDataset: CommandModule<GlobalArgs, Args> = {
	command: ['print-dataset <dataset>', 'ner.print-dataset'],
	describe: 'Print a dataset\'s answers with their spans highlighted (JSONL when piped)',
	builder: yargs => yargs
		.positional('dataset', {type: 'string', demandOption: true, describe: 'Dataset to print'})
		.option('answer', {type: 'string', describe: 'Only these answers, comma-separated (accept, reject, ignore)'})
		.option('pager', {type: 'boolean', default: true, describe: 'Page long output on a terminal (--no-pager prints it all)'})
		.example('$0 print-dataset job_titles', 'Look over the answers, paged')
		.example('$0 print-dataset job_titles --answer reject', 'Only the rejected ones')
		.example('$0 print-dataset job_titles > answers.jsonl', 'The stored tasks as JSONL'),
	async handler(argv) {
		const chosen = argv.answer === undefined ? undefined : list(argv.answer);
		const unknown = chosen?.find(answer => !allAnswers.includes(answer as Answer));
		if (unknown) {
			throw new UserError(`--answer: "${unknown}" is not an answer; use accept, reject or ignore.`);
		}

		const tasks = await withDatabase(argv, async database => selected(database, argv.dataset, chosen as Answer[] | undefined));
		if (!process.stdout.isTTY) {
			process.stdout.write(tasks.map(task => JSON.stringify(task) + '\n').join(''));
			return;
		}

		const labels = datasetLabels(tasks);
		const color = colorWanted();
		const counts = allAnswers.map(answer => `${tasks.filter(task => (task.answer ?? 'accept') === answer).length} ${answer}`).join(', ');
		const legend = labels.map(label => markSpans(label, [{start: 0, end: label.length, label}], labels, color).replace(` ${label}]`, ']')).join(' ');
		const text = [
			`${argv.dataset}: ${tasks.length} answers (${counts})${labels.length > 0 ? ` · labels ${legend}` : ''}`,
			'',
			...tasks.map((task, index) => formatAnswer(task, index + 1, labels, color, (process.stdout.columns || 80) - 1) + '\n'),
		].join('\n');
		if (argv.pager) {
			page(text, process.stdout.rows || 24);
		} else {
			process.stdout.write(text);
		}
	},
};
