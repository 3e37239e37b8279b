import type {Task} from '../store/task.js';
import {
	mergeAnswers, prepareInputs, type PreparedSentence, type PrepareReport,
} from './data.js';
import {scoreSpans, type Scores} from './metrics.js';
import type {SpanNetwork} from './network.js';
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
	const started = performance.now();
	const scores = scoreSentences(network, sentences);
	const seconds = (performance.now() - started) / 1000;
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
	return {
		threshold,
		gold: goldPairs.length > 0 ? scoreSpans(goldPairs, network.config.labels, report.missedGold) : undefined,
		binary: hasBinary ? binary : undefined,
		tokens,
		seconds,
		tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
		report,
	};
}

/** Score a network on tasks (gold and yes/no answers, merged per input). */
export function evaluateTasks(network: SpanNetwork, tasks: Iterable<Task>): Evaluation {
	const {sentences, report} = prepareInputs(mergeAnswers(tasks), network.config);
	return evaluateSentences(network, sentences, report);
}
