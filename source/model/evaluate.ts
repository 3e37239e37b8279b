import type {Task} from '../task/task.js';
import {
	mergeAnswers, prepareInputs, type MergedInput, type PreparedSentence, type PrepareReport,
} from './data.js';
import {
	errorKinds, microF1, scoreSpans, sentenceOutcomes, type Scores,
} from './metrics.js';
import type {SpanNetwork} from './network.js';
import type {ScorePool} from './pool/pool.js';
import {seededRandom} from './random.js';
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
	/** When the threshold was tuned: the F1-best one and its F1, and the standard error the choice allowed. */
	tuned?: ThresholdChoice;
	/** Scores on complete (gold) annotations, or undefined when there were none. */
	gold: Scores | undefined;
	binary: BinaryScores | undefined;
	tokens: number;
	seconds: number;
	tokensPerSecond: number;
	report: PrepareReport;
};

const key = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label}`;

/** Thresholds tuning tries. */
const thresholds = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

/**
 * Score a network on prepared sentences. With `tune`, the probability
 * threshold is chosen on these sentences' gold spans (from 0.1 to 0.7, see
 * `chooseThreshold`) and returned with the scores at it.
 */
export function evaluateSentences(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport, options: TuneOptions = {}): Evaluation {
	return evaluateAndPredict(network, sentences, report, options).evaluation;
}

/**
 * What tuning the threshold takes: whether to tune, and the base model's
 * errors on each gold sentence of the same sentences (see `goldSentenceErrors`),
 * when a model trained from it must not be worse than it sentence by sentence.
 */
export type TuneOptions = {tune?: boolean; baseErrors?: readonly number[]};

/** Errors (spans wrong plus spans missed) in each gold sentence, in order: what a reader comparing two models sentence by sentence counts. */
function errorsPerSentence(sentences: readonly PreparedSentence[], predicted: readonly ScoredSpan[][], labels: readonly string[]): number[] {
	const errors: number[] = [];
	for (const [index, sentence] of sentences.entries()) {
		if (sentence.gold) {
			const scores = scoreSpans([{gold: sentence.gold, predicted: predicted[index]!}], labels);
			errors.push(scores.fp + scores.fn);
		}
	}

	return errors;
}

/** A network's errors on each gold sentence of `sentences`, at its threshold: the base of `TuneOptions`. */
export function goldSentenceErrors(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport): number[] {
	const {predicted} = evaluateAndPredict(network, sentences, report, {});
	return errorsPerSentence(sentences, predicted, network.config.labels);
}

type Counts = {tp: number; fp: number; fn: number};

/** The threshold `chooseThreshold` chose, and why. */
export type ThresholdChoice = {
	threshold: number;
	/** The F1-best threshold and its F1. */
	best: number;
	bestF1: number;
	/** F1 at the chosen threshold, and the standard error of its difference from the best. */
	f1: number;
	error: number;
	/**
	 * Given the base model's errors: the gold sentences in which the model
	 * makes fewer errors than the base at the chosen threshold (wins), more
	 * (losses) and as many (ties); and, when the F1 rule's threshold lost
	 * more sentences than it won, that threshold and its counts.
	 */
	sentences?: {wins: number; losses: number; ties: number; overruled?: {threshold: number; wins: number; losses: number}};
};

/**
 * Fewer sentences than this won or lost against the base are too few for
 * their balance to overrule F1: with 19, a 7-12 split is within chance.
 */
export const decisiveSentences = 20;

/**
 * The threshold to predict at, from each candidate's counts per gold input:
 * the best F1, then, walking up from it, the highest threshold whose F1 the
 * evaluation set cannot tell from the best: less than one standard error of
 * the difference below it (a paired bootstrap over the inputs, as in the
 * "one standard error rule" of model selection). Near its top F1 changes
 * little from one threshold to the next, so on a small evaluation set the
 * highest F1 is partly chance, and chance favours low thresholds, which add
 * wrong spans where a reader sees them: measured with bench:seed, the
 * F1-best threshold of a model trained from teach's answers lost the
 * simulated blind A/B to its base while raising F1. Among thresholds the
 * evaluation cannot tell apart, the one that predicts the fewest spans is
 * taken.
 *
 * Given the base model's errors on each gold sentence (and each candidate's,
 * in the same order), that choice must also not lose more sentences to the
 * base than it wins, as a blind A/B would count them: measured with
 * bench:seed judged on a gold set, a model trained from teach's answers
 * raised F1 by 12 points and lost 180 of 471 differing test sentences, and
 * its F1-chosen threshold lost the gold set's sentences too. When it does
 * (and at least `decisiveSentences` differ), the best F1 among the thresholds that
 * win at least as many as they lose is taken instead; with none, the one
 * that loses fewest net.
 */
export function chooseThreshold(candidates: ReadonlyArray<{threshold: number; inputs: readonly Counts[]; sentenceErrors?: readonly number[]}>, options: {missed?: number; iterations?: number; baseErrors?: readonly number[]} = {}): ThresholdChoice {
	const {missed = 0, iterations = 200, baseErrors} = options;
	// Gold spans no threshold can predict count as misses in every total, and are not resampled.
	const f1Over = (inputs: readonly Counts[], draw?: Uint32Array) => {
		const sum = {tp: 0, fp: 0, fn: missed};
		const count = draw ? draw.length : inputs.length;
		for (let index = 0; index < count; index++) {
			const input = inputs[draw ? draw[index]! : index]!;
			sum.tp += input.tp;
			sum.fp += input.fp;
			sum.fn += input.fn;
		}

		return microF1(sum.tp, sum.fp, sum.fn);
	};

	const scored = candidates.map(candidate => ({threshold: candidate.threshold, f1: f1Over(candidate.inputs), inputs: candidate.inputs}));
	let best = 0;
	for (const [index, candidate] of scored.entries()) {
		if (candidate.f1 > scored[best]!.f1) {
			best = index;
		}
	}

	// The same draws of inputs for every threshold, so each difference is paired.
	const count = scored[best]!.inputs.length;
	const random = seededRandom(1);
	const draws = count > 1 ? Array.from({length: iterations}, () => Uint32Array.from({length: count}, () => Math.floor(random() * count))) : [];
	const errorFromBest = (candidate: typeof scored[number]) => {
		if (draws.length < 2 || candidate.inputs.length !== count) {
			return 0;
		}

		const differences = draws.map(draw => f1Over(scored[best]!.inputs, draw) - f1Over(candidate.inputs, draw));
		const average = differences.reduce((sum, value) => sum + value, 0) / differences.length;
		return Math.sqrt(differences.reduce((sum, value) => sum + ((value - average) ** 2), 0) / (differences.length - 1));
	};

	let chosen = best;
	let error = 0;
	while (chosen + 1 < scored.length && scored[chosen + 1]!.threshold > scored[chosen]!.threshold) {
		const next = scored[chosen + 1]!;
		const nextError = errorFromBest(next);
		if (scored[best]!.f1 - next.f1 > nextError) {
			break;
		}

		chosen++;
		error = nextError;
	}

	const choice: ThresholdChoice = {
		threshold: scored[chosen]!.threshold, best: scored[best]!.threshold, bestF1: scored[best]!.f1, f1: scored[chosen]!.f1, error,
	};
	if (!baseErrors || candidates.some(candidate => !candidate.sentenceErrors)) {
		return choice;
	}

	const outcomes = candidates.map(candidate => sentenceOutcomes(baseErrors, candidate.sentenceErrors!));
	const at = outcomes[chosen]!;
	if (at.losses <= at.wins || at.wins + at.losses < decisiveSentences) {
		return {...choice, sentences: at};
	}

	// Later candidates win ties, so among equals the higher threshold, which predicts fewer spans, is taken.
	const fair = scored.flatMap((candidate, index) => (outcomes[index]!.wins >= outcomes[index]!.losses ? [index] : []));
	const net = (index: number) => outcomes[index]!.wins - outcomes[index]!.losses;
	let instead = fair[0] ?? 0;
	for (const index of fair.length > 0 ? fair : scored.keys()) {
		if (fair.length > 0 ? scored[index]!.f1 >= scored[instead]!.f1 : net(index) >= net(instead)) {
			instead = index;
		}
	}

	return {
		threshold: scored[instead]!.threshold,
		best: choice.best,
		bestF1: choice.bestF1,
		f1: scored[instead]!.f1,
		error: errorFromBest(scored[instead]!),
		sentences: {...outcomes[instead]!, overruled: {threshold: choice.threshold, wins: at.wins, losses: at.losses}},
	};
}

/** `evaluateSentences`, and the spans predicted on each sentence at the threshold used. */
function evaluateAndPredict(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport, options: TuneOptions): {evaluation: Evaluation; predicted: ScoredSpan[][]} {
	const started = performance.now();
	const scores = scoreSentences(network, sentences);
	return evaluateScores(network, sentences, report, {scores, seconds: (performance.now() - started) / 1000}, options);
}

/** `evaluateAndPredict` on scores made elsewhere (by a `ScorePool`), and the seconds they took. */
function evaluateScores(network: SpanNetwork, sentences: readonly PreparedSentence[], report: PrepareReport, scored: {scores: Float32Array[]; seconds: number}, options: TuneOptions): {evaluation: Evaluation; predicted: ScoredSpan[][]} {
	const {scores, seconds} = scored;
	const {labels} = network.config;
	const decodeAll = (threshold: number) => sentences.map((sentence, index) => decode(scores[index]!, 0, sentence, labels, threshold));
	let threshold = network.config.threshold ?? 0.5;
	let tuned: ThresholdChoice | undefined;
	if (options.tune && sentences.some(sentence => sentence.gold)) {
		tuned = chooseThreshold(thresholds.map(candidate => {
			const predicted = decodeAll(candidate);
			const sentenceErrors = options.baseErrors ? errorsPerSentence(sentences, predicted, labels) : undefined;
			const byInput = new Map<number, Counts>();
			for (const [index, sentence] of sentences.entries()) {
				if (sentence.gold) {
					const {tp, fp, fn} = scoreSpans([{gold: sentence.gold, predicted: predicted[index]!}], labels);
					const counts = byInput.get(sentence.inputHash) ?? {tp: 0, fp: 0, fn: 0};
					counts.tp += tp;
					counts.fp += fp;
					counts.fn += fn;
					byInput.set(sentence.inputHash, counts);
				}
			}

			return {threshold: candidate, inputs: [...byInput.values()], ...(sentenceErrors ? {sentenceErrors} : {})};
		}), {missed: labels.reduce((sum, label) => sum + (report.missedGold[label] ?? 0), 0), baseErrors: options.baseErrors});
		threshold = tuned.threshold;
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
		...(tuned ? {tuned} : {}),
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
export type InputCounts = {inputHash: number; tp: number; fp: number; fn: number; sentenceErrors: number[]; sentenceKinds: SentenceKinds[]};

/** A gold sentence's errors by kind (see `errorKinds`), each wrong span with its words and their `spanKey`. */
export type SentenceKinds = {wrong: Array<{key: string; text: string}>; boundary: number; missed: number};

/** A span's label and words, in lower case without spaces: the same key however the text spaced or cased them. */
export function spanKey(label: string, text: string): string {
	return `${label}\t${text.toLowerCase().replaceAll(/\s+/gu, '')}`;
}

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
		const sentenceErrors = errorsPerSentence(part.sentences, spans, network.config.labels);
		const sentenceKinds = part.sentences.flatMap((sentence, position): SentenceKinds[] => {
			if (!sentence.gold) {
				return [];
			}

			const {wrong, boundary, missed} = errorKinds(sentence.gold, spans[position]!);
			const words = wrong.map(span => sentence.words.slice(span.start, span.end + 1));
			return [{wrong: wrong.map((span, n) => ({key: spanKey(span.label, words[n]!.join('')), text: words[n]!.join(' ')})), boundary, missed}];
		});
		items.push({
			inputHash: inputs[index]!.inputHash, tp, fp, fn, sentenceErrors, sentenceKinds,
		});
	}

	return {evaluation, items};
}
