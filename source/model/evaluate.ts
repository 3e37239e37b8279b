import type {Task} from '../task/task.js';
import {
	mergeAnswers, prepareInputs, type MergedInput, type PreparedSentence, type PrepareReport,
} from './data.js';
import {scoreSpans, type Scores} from './metrics.js';
import type {SpanNetwork} from './network.js';
import type {ScorePool} from './pool/pool.js';
import {decode, scoreSentences, type ScoredSpan} from './train.js';

/** What yes/no answers say about a model: it cannot be scored like gold, but these counts show it. */
export type BinaryScores = {
	/** Accepted spans, and how many of them the model predicts. */
	accepted: number;
	acceptedFound: number;
	/** Rejected spans, and how many of them the model still predicts. */
	rejected: number;
	rejectedPredicted: number;
	/** Predicted spans on yes/no inputs that no answer judges. */
	unjudged: number;
};

export type Evaluation = {
	/** The probability threshold the spans were predicted at. */
	threshold: number;
	/** Scores on complete (gold) annotations, or undefined when there were none. */
	gold: Scores | undefined;
	binary: BinaryScores | undefined;
	tokens: number;
	seconds: number;
	tokensPerSecond: number;
	report: PrepareReport;
};

const key = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label}`;

/** Thresholds `tuneThreshold` tries. */
const thresholds = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

/**
 * Score a network on prepared sentences. With `tune`, the probability
 * threshold that gives the best F1 on these sentences' gold spans is chosen
 * (from 0.1 to 0.7) and returned with the scores at it.
 */
export function evaluateSentences(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport, options: {tune?: boolean} = {}): Evaluation {
	return evaluateAndPredict(network, sentences, report, options).evaluation;
}

/** `evaluateSentences`, and the spans predicted on each sentence at the threshold used. */
function evaluateAndPredict(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport, options: {tune?: boolean}): {evaluation: Evaluation; predicted: ScoredSpan[][]} {
	const started = performance.now();
	const scores = scoreSentences(network, sentences);
	return evaluateScores(network, sentences, report, {scores, seconds: (performance.now() - started) / 1000}, options);
}

/** `evaluateAndPredict` on scores made elsewhere (by a `ScorePool`), and the seconds they took. */
function evaluateScores(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport, scored: {scores: Float32Array[]; seconds: number}, options: {tune?: boolean}): {evaluation: Evaluation; predicted: ScoredSpan[][]} {
	const {scores, seconds} = scored;
	const {labels} = network.config;
	const decodeAll = (threshold: number) => sentences.map((sentence, index) => decode(scores[index]!, 0, sentence, labels, threshold));
	let threshold = network.config.threshold ?? 0.5;
	if (options.tune && sentences.some(sentence => sentence.gold)) {
		let best = -1;
		for (const candidate of thresholds) {
			const predicted = decodeAll(candidate);
			const pairs = sentences.flatMap((sentence, index) => (sentence.gold ? [{gold: sentence.gold, predicted: predicted[index]!}] : []));
			const {f1} = scoreSpans(pairs, labels, report.missedGold);
			if (f1 > best) {
				best = f1;
				threshold = candidate;
			}
		}
	}

	const predicted = decodeAll(threshold);
	const goldPairs: Array<{gold: ScoredSpan[] | PreparedSentence['gold'] & {}; predicted: ScoredSpan[]}> = [];
	const binary: BinaryScores = {
		accepted: 0, acceptedFound: 0, rejected: 0, rejectedPredicted: 0, unjudged: 0,
	};
	let hasBinary = false;
	for (const [index, sentence] of sentences.entries()) {
		const spans = predicted[index]!;
		if (sentence.gold) {
			goldPairs.push({gold: sentence.gold, predicted: spans});
			continue;
		}

		if (sentence.accepted.length === 0 && sentence.rejected.length === 0) {
			continue;
		}

		hasBinary = true;
		const predictedKeys = new Set(spans.map(span => key(span)));
		const judged = new Set([...sentence.accepted, ...sentence.rejected].map(span => key(span)));
		binary.accepted += sentence.accepted.length;
		binary.acceptedFound += sentence.accepted.filter(span => predictedKeys.has(key(span))).length;
		binary.rejected += sentence.rejected.length;
		binary.rejectedPredicted += sentence.rejected.filter(span => predictedKeys.has(key(span))).length;
		binary.unjudged += spans.filter(span => !judged.has(key(span))).length;
	}

	const tokens = sentences.reduce((sum, sentence) => sum + sentence.words.length, 0);
	const evaluation: Evaluation = {
		threshold,
		gold: goldPairs.length > 0 ? scoreSpans(goldPairs, network.config.labels, report.missedGold) : undefined,
		binary: hasBinary ? binary : undefined,
		tokens,
		seconds,
		tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
		report,
	};
	return {evaluation, predicted};
}

/** Score a network on tasks (gold and yes/no answers, merged per input). */
export function evaluateTasks(network: SpanNetwork, tasks: Iterable<Task>): Evaluation {
	const {sentences, report} = prepareInputs(mergeAnswers(tasks), network.config);
	return evaluateSentences(network, sentences, report);
}

/**
 * `evaluateTasks`, with the scoring shared between this thread and a pool's
 * helper threads (see `ScorePool`), which hold the same model as `network`.
 */
export async function evaluateTasksInPool(network: SpanNetwork, tasks: Iterable<Task>, pool: ScorePool): Promise<Evaluation> {
	const {sentences, report} = prepareInputs(mergeAnswers(tasks), network.config);
	const started = performance.now();
	const scores = await pool.score(network, sentences);
	return evaluateScores(network, sentences, report, {scores, seconds: (performance.now() - started) / 1000}, {}).evaluation;
}

/**
 * One gold input's counts, summed over its labels: what a paired bootstrap
 * resamples; and each of its gold sentences' errors (spans wrong plus spans
 * missed), which a reader comparing two models sentence by sentence sees.
 */
export type InputCounts = {inputHash: number; tp: number; fp: number; fn: number; sentenceErrors: number[]};

function addReports(reports: readonly PrepareReport[]): PrepareReport {
	const total: PrepareReport = {
		inputs: 0, sentences: 0, tokens: 0, spans: 0, misaligned: 0, notCandidates: 0, otherLabels: 0, missedGold: {},
	};
	for (const report of reports) {
		total.inputs += report.inputs;
		total.sentences += report.sentences;
		total.tokens += report.tokens;
		total.spans += report.spans;
		total.misaligned += report.misaligned;
		total.notCandidates += report.notCandidates;
		total.otherLabels += report.otherLabels;
		for (const [label, count] of Object.entries(report.missedGold)) {
			total.missedGold[label] = (total.missedGold[label] ?? 0) + count;
		}
	}

	return total;
}

/**
 * Score a network on merged inputs as `evaluateTasks` does, and give each
 * input with gold spans its own counts (in the order of `inputs`), which sum
 * to the gold totals: gold spans the model cannot predict count as misses of
 * their input. With a pool (whose `model`th model is `network`'s), its helper
 * threads score beside this one.
 */
export async function evaluateInputs(network: SpanNetwork, inputs: readonly MergedInput[], pool?: {pool: ScorePool; model: number}): Promise<{evaluation: Evaluation; items: InputCounts[]}> {
	// One input at a time, so each input's unpredictable gold spans are known; the sentences are the same as all at once.
	const parts = inputs.map(input => prepareInputs([input], network.config));
	const sentences = parts.flatMap(part => part.sentences);
	const report = addReports(parts.map(part => part.report));
	const started = performance.now();
	const scores = pool ? await pool.pool.score(network, sentences, pool.model) : scoreSentences(network, sentences);
	const {evaluation, predicted} = evaluateScores(network, sentences, report, {scores, seconds: (performance.now() - started) / 1000}, {});
	const items: InputCounts[] = [];
	let first = 0;
	for (const [index, part] of parts.entries()) {
		const spans = predicted.slice(first, first + part.sentences.length);
		first += part.sentences.length;
		if (!inputs[index]!.gold) {
			continue;
		}

		const pairs = part.sentences.flatMap((sentence, position) => (sentence.gold ? [{gold: sentence.gold, predicted: spans[position]!}] : []));
		const {tp, fp, fn} = scoreSpans(pairs, network.config.labels, part.report.missedGold);
		// Gold spans no model can predict are left out here: they are the same errors for any two models.
		const sentenceErrors = pairs.map(pair => {
			const scores = scoreSpans([pair], network.config.labels);
			return scores.fp + scores.fn;
		});
		items.push({
			inputHash: inputs[index]!.inputHash, tp, fp, fn, sentenceErrors,
		});
	}

	return {evaluation, items};
}
