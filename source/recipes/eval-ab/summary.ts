import {UserError} from '../../errors.js';
import type {Store} from '../../store/store.js';
import {
	formatP, summarizeAb, type AbSummary, type Interval,
} from '../ab-stats.js';
import {pairLabel, readAbTasks} from './answers.js';

/** The verdict of a dataset's eval-ab answers, with the sentences skipped as identical. */
export type AbDatasetSummary = AbSummary & {
	dataset: string;
	/** Sentences not asked because both models gave the same spans. */
	identical: number;
	/** The same, per pair of models, in the order of `pairs`. */
	identicalByPair: number[];
};

/** Summarise the eval-ab answers of a dataset; `models` come first, in that order. */
export async function summarizeDataset(database: Store, dataset: string, models: readonly string[] = []): Promise<AbDatasetSummary> {
	if (!await database.dataset(dataset)) {
		throw new UserError(`There is no dataset "${dataset}" in ${database.location}. \`inkling stats -l\` lists the datasets.`);
	}

	const examples = await database.examples(dataset);
	const stored = readAbTasks(examples.map(example => example.task));
	const summary = summarizeAb(stored.answers, [...models, ...stored.models]);
	return {
		...summary,
		dataset,
		identical: stored.identical,
		identicalByPair: summary.pairs.map(pair => (stored.identicalByPair.get(pairLabel([pair.a, pair.b])) ?? 0) + (stored.identicalByPair.get(pairLabel([pair.b, pair.a])) ?? 0)),
	};
}

/** `eval-ab --summary`: the verdict of a dataset, which must hold eval-ab answers. */
export async function datasetVerdict(database: Store, dataset: string): Promise<AbDatasetSummary> {
	const summary = await summarizeDataset(database, dataset);
	if (summary.answers === 0 && summary.identical === 0) {
		throw new UserError(`${dataset} holds no eval-ab answers: \`inkling eval-ab ${dataset} MODEL_A MODEL_B SOURCE\` collects them.`);
	}

	return summary;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const interval = ({low, high}: Interval) => `${Math.round(low * 100)}–${Math.round(high * 100)}%`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function table(rows: string[][]): string[] {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row => '  ' + row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join('  ').trimEnd());
}

/** The summary as a person reads it: counts, shares with 95% intervals, sign tests, ranking and verdict. */
export function summaryText(summary: AbDatasetSummary): string {
	const lines = [
		`eval-ab: ${plural(summary.answers, 'answer')} in ${summary.dataset} (${summary.decisive} picked a model, ${plural(summary.ties, 'tie')}, ${summary.skipped} skipped); ${plural(summary.identical, 'sentence')} not asked because both models gave the same spans.`,
		'',
		...table([
			['model', 'wins', 'losses', 'ties', 'share', '95% interval'],
			...summary.models.map(model => [model.name, String(model.wins), String(model.losses), String(model.ties), percent(model.share.share), interval(model.share)]),
		]),
		'',
		...summary.pairs.map((pair, index) => `  ${pair.a} vs ${pair.b}: ${pair.aWins} to ${pair.bWins}, ${plural(pair.ties, 'tie')}, ${summary.identicalByPair[index]!} identical; sign test ${formatP(pair.p)}`),
	];
	if (summary.ranking.length > 2) {
		lines.push('', 'Ranking (Bradley–Terry strength; win rate with 95% interval):', ...table(summary.ranking.map((rank, index) => [
			`${index + 1}. ${rank.name}`, rank.strength.toFixed(2), percent(rank.winRate.share), interval(rank.winRate),
		])));
	}

	const [first, second] = summary.models;
	const compare = first && second ? `inkling eval GOLD ${first.name} --compare ${summary.models.slice(1).map(model => model.name).join(',')}` : 'inkling eval GOLD MODEL --compare OTHER';
	lines.push(
		'',
		`Verdict: ${summary.verdict}`,
		`With a gold dataset, \`${compare}\` scores the models on it without asking anyone: the cheaper test.`,
	);
	return lines.join('\n');
}

/** The summary for scripts (`--json`). */
export function summaryJson(summary: AbDatasetSummary): Record<string, unknown> {
	return {
		dataset: summary.dataset,
		answers: summary.answers,
		decisive: summary.decisive,
		ties: summary.ties,
		skipped: summary.skipped,
		identical: summary.identical,
		models: summary.models.map(model => ({
			name: model.name, wins: model.wins, losses: model.losses, ties: model.ties, share: model.share.share, low: model.share.low, high: model.share.high,
		})),
		pairs: summary.pairs.map((pair, index) => ({
			a: pair.a, b: pair.b, a_wins: pair.aWins, b_wins: pair.bWins, ties: pair.ties, identical: summary.identicalByPair[index], p: pair.p,
		})),
		ranking: summary.ranking.map(rank => ({
			name: rank.name, strength: rank.strength, win_rate: rank.winRate.share, low: rank.winRate.low, high: rank.winRate.high,
		})),
		preferred: summary.preferred ?? null,
		more_answers: summary.moreAnswers,
		verdict: summary.verdict,
	};
}
