import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';
import type {Store} from '../store/store.js';
import {readTasks} from '../store/formats.js';
import {inputHash} from '../task/hash.js';
import type {Task} from '../task/task.js';
import {
	mergeAnswers, prepareInputs, type PreparedSentence, type PrepareReport,
} from '../model/data.js';
import {countKinds, isBinary, markKind} from '../model/answers.js';
import {
	evaluateInputs, evaluateSentences, goldSentenceErrors, type Evaluation, type InputCounts, type SentenceKinds,
} from '../model/evaluate.js';
import {NerModel} from '../model/model.js';
import {
	attachPriors, defaultDistill, defaultTrainOptions, trainNetwork, type TrainOptions, type TrainProgress,
} from '../model/train.js';
import {seededRandom} from '../model/random.js';
import {isVectorTable, readVectorTable} from '../model/vector-table.js';
import {
	pairedBootstrap, sentencePreference, type F1Counts, type SentencePreference,
} from './ab-stats.js';
import {lossesOf, markedSpans, type Losses} from './losses.js';
import {loadTasks} from './tasks.js';

export {loadTasks} from './tasks.js';

/** Whether an input is held out for evaluation: by its hash, so the split stays the same as a dataset grows. */
export function isHeldOut(hash: number, split: number): boolean {
	return ((hash >>> 0) / 0x1_00_00_00_00) < split;
}

export type TrainRecipeOptions = Partial<TrainOptions> & {
	/** Datasets or files. */
	sources: string[];
	/** A model folder to start from, or "blank". */
	base: string;
	labels?: string[];
	/** Share of inputs held out, by hash. */
	evalSplit?: number;
	/** A gold dataset or file to evaluate on instead. */
	evalId?: string;
	/** Folder to write `model-best` and `model-last` to. */
	output?: string;
	/** Save the weights at half precision. */
	float16?: boolean;
	/** Use only this share of the training inputs (for train-curve). */
	sample?: number;
	backend?: string;
	/** A vector table built by `inkling vectors build` (with a blank model only; the model names it rather than copies it), or a function that finds one once the data has been read. */
	vectors?: string | (() => Promise<string | undefined>);
	overrides?: Partial<NerModel['network']['config']>;
	/** Take every training example as a yes/no answer, or as gold, whatever its shape says. */
	kind?: 'binary' | 'gold';
	/** With a base model: rehearse a sample of the data it was trained on (as its folder records), so it does not forget it. On unless false. */
	rehearse?: boolean;
	/** With a base model: weight of its beliefs about the spans no yes/no answer judges (0: none; see `targets`). */
	distill?: number;
};

export type TrainStart = {
	labels: string[];
	train: PrepareReport;
	evaluation: PrepareReport | undefined;
	/** The base model's own training data, rehearsed beside the new data (see `rehearsalOf`). */
	rehearsal: Rehearsal | undefined;
	/** Training examples that are yes/no answers about one span, and complete (gold) annotations. */
	kinds: {binary: number; gold: number};
	/** What the evaluation set holds: gold annotations, yes/no answers, or both. */
	evaluationKind: 'gold' | 'binary' | 'mixed' | undefined;
	/** The base model's scores on the same evaluation set, when there is a base model. */
	base: Evaluation | undefined;
	/** Gold inputs the base held out for its own evaluation, added to this evaluation set (when it had no gold). */
	baseHeldOut: number;
};

export type TrainEvent
	= | {type: 'start'; start: TrainStart}
		| {type: 'batch'; progress: TrainProgress}
		| {type: 'epoch'; epoch: number; loss: number; tokensPerSecond: number; evaluation: Evaluation | undefined; best: boolean};

export type TrainResult = {
	labels: string[];
	epochs: Array<{epoch: number; loss: number; f1?: number; tokensPerSecond: number}>;
	best: {epoch: number; evaluation: Evaluation | undefined};
	base: Evaluation | undefined;
	/** With a base model and gold to evaluate on: the best model against the base on the same inputs. */
	verdict: Verdict | undefined;
	output: string | undefined;
	seconds: number;
};

function labelsOf(tasks: readonly Task[]): string[] {
	const labels = new Set<string>();
	for (const task of tasks) {
		for (const span of task.spans ?? []) {
			labels.add(span.label);
		}
	}

	return [...labels].sort();
}

/**
 * The learning rate when training from a base model and none is given: a
 * quarter of blank's, so the base's weights move less away from what it
 * knew. bench:seed (BENCHMARKS.md) measured it against 0.002: more F1 on
 * average in both of its modes, and a test A/B as good or better.
 */
export const fromBaseLearnRate = 0.0005;

/** A base model's training data, found again to rehearse. */
export type Rehearsal = {
	/** Where it was found: files and datasets. */
	sources: string[];
	/** Recorded sources that could not be found (a file moved, a dataset of another database). */
	missing: string[];
	/** Inputs rehearsed, and how many the sources hold. */
	inputs: number;
	available: number;
	tasks: Task[];
	/**
	 * The examples of the inputs the base held out to evaluate itself (as its
	 * `evaluation.json` records): never rehearsed, so the new model can be
	 * scored on data neither model learnt from.
	 */
	heldOut: Task[];
};

/** The input hashes a model folder held out to evaluate itself, from its `evaluation.json`; none when it records none. */
function heldOutBy(folder: string): Set<number> {
	try {
		const {input_hashes: hashes} = JSON.parse(fs.readFileSync(path.join(folder, 'evaluation.json'), 'utf8')) as {input_hashes?: unknown};
		return new Set(Array.isArray(hashes) ? hashes.filter(hash => typeof hash === 'number') : []);
	} catch {
		return new Set();
	}
}

/** How a source is recorded in a model folder: a file by its absolute path, a dataset by its name. */
function recordedSource(source: string): string {
	return fs.existsSync(source) && fs.statSync(source).isFile() ? path.resolve(source) : source;
}

/**
 * The data a base model was trained on (as its folder records: its sources
 * and what it rehearsed itself), to rehearse beside new answers: yes/no
 * answers alone teach a model little about what they do not judge, and
 * without its old data it forgets. A sample, of at most four times the new
 * inputs (and at least 500), so training stays about the new data's size;
 * inputs held out for evaluation are left out.
 */
async function rehearsalOf(base: NerModel, database: Store | undefined, held: ReadonlySet<number>, newInputs: number, seed: number): Promise<Rehearsal | undefined> {
	const training = base.meta.training as {sources?: unknown; rehearsed?: unknown} | undefined;
	const recorded = [...new Set([training?.sources, training?.rehearsed].flatMap(list => (Array.isArray(list) ? list.filter(item => typeof item === 'string') : [])))];
	if (recorded.length === 0) {
		return undefined;
	}

	const sources: string[] = [];
	const missing: string[] = [];
	const byInput = new Map<number, Task[]>();
	const baseHeld = base.folder ? heldOutBy(base.folder) : new Set<number>();
	const heldOut: Task[] = [];
	for (const source of recorded) {
		// eslint-disable-next-line no-await-in-loop
		const found = fs.existsSync(source) && fs.statSync(source).isFile() ? await loadTasks(undefined, source) : (database && await database.dataset(source) ? await loadTasks(database, source) : undefined);
		if (!found) {
			missing.push(source);
			continue;
		}

		sources.push(source);
		for (const task of found) {
			const hash = task._input_hash ?? inputHash(task);
			if (held.has(hash) || task._view_id === 'eval-ab') {
				continue;
			}

			if (baseHeld.has(hash)) {
				heldOut.push(task);
			} else {
				byInput.set(hash, [...(byInput.get(hash) ?? []), task]);
			}
		}
	}

	const inputs = [...byInput.keys()];
	const random = seededRandom(seed + 11);
	for (let index = inputs.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[inputs[index], inputs[other]] = [inputs[other]!, inputs[index]!];
	}

	const chosen = inputs.slice(0, Math.max(500, 4 * newInputs));
	return {
		sources, missing, inputs: chosen.length, available: inputs.length, tasks: chosen.flatMap(hash => byInput.get(hash)!), heldOut,
	};
}

function kindOf(sentences: readonly PreparedSentence[] | undefined): TrainStart['evaluationKind'] {
	if (!sentences || sentences.length === 0) {
		return undefined;
	}

	const gold = sentences.some(sentence => sentence.gold);
	const binary = sentences.some(sentence => !sentence.gold && (sentence.accepted.length > 0 || sentence.rejected.length > 0));
	return gold ? (binary ? 'mixed' : 'gold') : 'binary';
}

/**
 * The headline number of an evaluation: F1 on gold data; on yes/no answers,
 * the mean of the share of accepted spans found and the share of rejected
 * spans not predicted. Each share counts half, however many answers of each
 * kind there are: teach's answers are mostly rejects, and a plain share of
 * answers agreed with would crown a model that predicts nothing.
 */
export function headline(evaluation: Evaluation | undefined): number | undefined {
	if (!evaluation) {
		return undefined;
	}

	if (evaluation.gold) {
		return evaluation.gold.f1;
	}

	const {binary} = evaluation;
	if (!binary || binary.accepted + binary.rejected === 0) {
		return undefined;
	}

	const shares = [
		...(binary.accepted > 0 ? [binary.acceptedFound / binary.accepted] : []),
		...(binary.rejected > 0 ? [1 - (binary.rejectedPredicted / binary.rejected)] : []),
	];
	return shares.reduce((sum, share) => sum + share, 0) / shares.length;
}

/** Better, worse or no different from the base model on the same gold inputs: the F1 difference and its paired bootstrap interval. */
export type Verdict = {
	verdict: 'better' | 'worse' | 'no difference';
	difference: number;
	low: number;
	high: number;
	/** Gold inputs the two were scored on. */
	inputs: number;
	/**
	 * The same gold sentence by sentence, as a blind A/B would judge them: F1
	 * can rise while more sentences get worse than better (more spans found
	 * in a few, wrong ones added in many), and a person comparing the two
	 * models would then prefer the base.
	 */
	sentences?: SentencePreference;
	/** Where the new model makes more errors than the base, the kinds of its errors there. */
	losses?: Losses;
};

type VerdictCounts = F1Counts & {sentenceErrors?: number[]; sentenceKinds?: SentenceKinds[]};

/**
 * The verdict of a paired bootstrap: better when the whole interval is over
 * 0, worse when under; and, when the counts carry each sentence's errors,
 * the sentence-by-sentence preference.
 */
export function verdictOf(base: readonly VerdictCounts[], model: readonly VerdictCounts[], seed = 1, marked: ReadonlySet<string> = new Set()): Verdict {
	const {difference, low, high} = pairedBootstrap(base, model, {iterations: 2000, seed});
	const errors = (items: typeof base) => (items.every(item => item.sentenceErrors) ? items.flatMap(item => item.sentenceErrors!) : undefined);
	const baseErrors = errors(base);
	const modelErrors = errors(model);
	const kinds = model.every(item => item.sentenceKinds) ? model.flatMap(item => item.sentenceKinds!) : undefined;
	return {
		verdict: low > 0 ? 'better' : (high < 0 ? 'worse' : 'no difference'),
		difference,
		low,
		high,
		inputs: base.length,
		...(baseErrors && modelErrors ? {sentences: sentencePreference(baseErrors, modelErrors)} : {}),
		...(baseErrors && modelErrors && kinds?.length === modelErrors.length ? {losses: lossesOf(baseErrors, modelErrors, kinds, marked)} : {}),
	};
}

/**
 * Train a model from datasets and files of gold and yes/no answers, yielding
 * progress; returns what happened. Writes `model-best` and `model-last` to
 * the output folder when one is given.
 */
export async function * trainRecipe(database: Store | undefined, options: TrainRecipeOptions): AsyncGenerator<TrainEvent, TrainResult> {
	const started = performance.now();
	if (options.output && fs.existsSync(options.output) && !fs.statSync(options.output).isDirectory()) {
		throw new UserError(`-o/--output: ${options.output} is a file; give a folder (new or existing) to write model-best and model-last to.`);
	}

	const loaded = await Promise.all(options.sources.map(async source => loadTasks(database, source)));
	const tasks = markKind(loaded.flat(), options.kind);
	if (tasks.length === 0) {
		throw new UserError(`${options.sources.join(', ')}: no examples to train on.`);
	}

	const base = options.base === 'blank' ? undefined : NerModel.load(options.base);
	const dataLabels = labelsOf(tasks);
	const labels = options.labels?.length ? options.labels : (base?.labels ?? dataLabels);
	if (labels.length === 0) {
		throw new UserError('The data has no spans, so there are no labels to learn: name them with -l/--label.');
	}

	// Labels named with -l must be in the data; a base model's may not all be (teach answers about one label of several).
	const unknown = options.labels?.length ? labels.filter(label => !dataLabels.includes(label)) : [];
	if (unknown.length > 0) {
		throw new UserError(`-l/--label: no example has the label ${unknown.map(label => `"${label}"`).join(', ')}. The data has: ${dataLabels.join(', ') || 'no labels'}.`);
	}

	if (base && labels.some(label => !base.labels.includes(label))) {
		throw new UserError(`${options.base} knows the labels ${base.labels.join(', ')}; to learn ${labels.filter(label => !base.labels.includes(label)).join(', ')} too, train from "blank".`);
	}

	let evalTasks: Task[] = [];
	let trainTasks = tasks;
	if (options.evalId) {
		evalTasks = await loadTasks(database, options.evalId);
		const held = new Set(evalTasks.map(task => task._input_hash ?? inputHash(task)));
		trainTasks = tasks.filter(task => !held.has(task._input_hash ?? inputHash(task)));
	} else if (options.evalSplit !== undefined && options.evalSplit > 0) {
		if (options.evalSplit >= 1) {
			throw new UserError(`-es/--eval-split: ${options.evalSplit} leaves nothing to train on; give a share such as 0.2.`);
		}

		const split = options.evalSplit;
		evalTasks = tasks.filter(task => isHeldOut(task._input_hash ?? inputHash(task), split));
		trainTasks = tasks.filter(task => !isHeldOut(task._input_hash ?? inputHash(task), split));
	}

	if (base && typeof options.vectors === 'string') {
		throw new UserError(`--vectors: ${options.base} already has its features; vectors can only be added when training from "blank".`);
	}

	// A resolver (the command's default vectors) runs once the data is known to be good: it may build a table.
	const vectorsFile = base ? undefined : (typeof options.vectors === 'function' ? await options.vectors() : options.vectors);
	const vectors = vectorsFile ? readVectorsOption(vectorsFile) : undefined;
	const model = base ?? NerModel.blank(labels, {...options.overrides, seed: options.seed ?? 0}, vectors);
	const config = {...model.network.config};
	const held = new Set(evalTasks.map(task => task._input_hash ?? inputHash(task)));
	const rehearsal = base && options.rehearse !== false ? await rehearsalOf(base, database, held, mergeAnswers(trainTasks).length, options.seed ?? 0) : undefined;
	// Unless told what to evaluate on (--eval-id), the gold the base held out to evaluate itself stays held
	// out, and the model is scored on it beside its own split: neither model learnt from it, so the epoch,
	// the threshold and the verdict rest on real F1, not only on yes/no answers about uncertain spans.
	const heldOutGold = options.evalId ? [] : (rehearsal?.heldOut ?? []).filter(task => !isBinary(task));
	const baseHeldOut = mergeAnswers(heldOutGold).filter(input => input.gold).length;
	if (baseHeldOut > 0) {
		const hashes = new Set(heldOutGold.map(task => task._input_hash ?? inputHash(task)));
		evalTasks = [...evalTasks, ...heldOutGold];
		trainTasks = trainTasks.filter(task => !hashes.has(task._input_hash ?? inputHash(task)));
	}

	let merged = mergeAnswers([...trainTasks, ...(rehearsal?.tasks ?? [])]);
	if (options.sample !== undefined && options.sample < 1) {
		const keep = Math.max(1, Math.round(merged.length * options.sample));
		merged = merged.slice(0, keep);
	}

	const prepared = prepareInputs(merged, config);
	if (prepared.sentences.length === 0) {
		throw new UserError('Nothing is left to train on after holding out the evaluation set.');
	}

	if (base) {
		// What the base model believed of every span the yes/no answers do not judge: kept, not unlearnt.
		attachPriors(model.network, prepared.sentences, options.distill ?? defaultDistill);
	}

	const evaluationData = evalTasks.length > 0 ? prepareInputs(mergeAnswers(evalTasks), config) : undefined;
	// From a base, the threshold must not make the new model lose more gold sentences to the base than it wins (see `chooseThreshold`).
	const baseErrors = base && evaluationData?.sentences.some(sentence => sentence.gold) ? goldSentenceErrors(model.network, evaluationData.sentences, evaluationData.report) : undefined;
	const evaluate = (tune = false) => (evaluationData ? evaluateSentences(model.network, evaluationData.sentences, evaluationData.report, {tune, baseErrors}) : undefined);
	const baseEvaluation = base ? evaluate() : undefined;
	// Per gold input, for the verdict: the base's counts now, the best model's when it is best.
	const goldInputs = base && evaluationData?.sentences.some(sentence => sentence.gold) ? mergeAnswers(evalTasks).filter(input => input.gold) : [];
	const countsNow = async (): Promise<InputCounts[]> => {
		const {items} = await evaluateInputs(model.network, goldInputs);
		return items;
	};

	const baseCounts = goldInputs.length > 0 ? await countsNow() : [];
	let bestCounts: InputCounts[] = [];
	yield {
		type: 'start', start: {
			labels, train: prepared.report, rehearsal: rehearsal && {...rehearsal, tasks: [], heldOut: []}, baseHeldOut, kinds: countKinds(trainTasks), evaluation: evaluationData?.report, evaluationKind: kindOf(evaluationData?.sentences), base: baseEvaluation,
		},
	};

	const given = Object.fromEntries(Object.entries(options).filter(([name, value]) => name in defaultTrainOptions && value !== undefined));
	const settings = {...defaultTrainOptions, ...(base ? {learnRate: fromBaseLearnRate} : {}), ...given};
	const epochs: TrainResult['epochs'] = [];
	let best: TrainResult['best'] = {epoch: 0, evaluation: undefined};
	let bestScore = Number.NEGATIVE_INFINITY;
	let lastEvaluation: Evaluation | undefined;
	const meta = (evaluation: Evaluation | undefined) => ({
		backend: options.backend,
		created: new Date().toISOString(),
		training: {
			// Files as absolute paths, so a later `train` from this model finds them to rehearse; datasets by name.
			sources: options.sources.map(source => recordedSource(source)),
			rehearsed: rehearsal?.sources ?? [],
			database: database?.location,
			base: options.base,
			settings,
			evalSplit: options.evalSplit,
			evalId: options.evalId,
			inputs: merged.length,
		},
		// This model's own scores, or none: never the base's, which the folder's meta would otherwise carry over.
		scores: evaluation?.gold
			? {
				precision: evaluation.gold.precision, recall: evaluation.gold.recall, f1: evaluation.gold.f1, per_label: evaluation.gold.per_label,
			}
			: undefined,
	});
	const evaluationFile = (evaluation: Evaluation | undefined) => ({
		input_hashes: [...new Set(evalTasks.map(task => task._input_hash ?? inputHash(task)))].sort((a, b) => a - b),
		gold: evaluation?.gold,
		binary: evaluation?.binary,
	});

	for await (const progress of trainNetwork(model.network, prepared.sentences, settings)) {
		yield {type: 'batch', progress};
		if (progress.epochLoss === undefined) {
			continue;
		}

		const evaluation = evaluate(true);
		lastEvaluation = evaluation;
		if (evaluation) {
			// Predict at the threshold that did best on the evaluation set.
			model.network.config.threshold = evaluation.threshold;
		}

		const score = headline(evaluation) ?? -progress.epochLoss;
		const improved = score > bestScore;
		epochs.push({
			epoch: progress.epoch, loss: progress.epochLoss, ...(evaluation?.gold ? {f1: evaluation.gold.f1} : {}), tokensPerSecond: progress.tokensPerSecond,
		});
		if (improved) {
			bestScore = score;
			best = {epoch: progress.epoch, evaluation};
			if (goldInputs.length > 0) {
				bestCounts = await countsNow();
			}

			if (options.output) {
				model.save(path.join(options.output, 'model-best'), meta(evaluation), {history: epochs, evaluation: evaluationFile(evaluation)}, {float16: options.float16});
			}
		}

		yield {
			type: 'epoch', epoch: progress.epoch, loss: progress.epochLoss, tokensPerSecond: progress.tokensPerSecond, evaluation, best: improved,
		};
	}

	if (options.output) {
		model.save(path.join(options.output, 'model-last'), meta(lastEvaluation), {history: epochs, evaluation: evaluationFile(lastEvaluation)}, {float16: options.float16});
	}

	model.dispose();
	return {
		labels,
		epochs,
		best,
		base: baseEvaluation,
		verdict: baseCounts.length > 0 && bestCounts.length > 0 ? verdictOf(baseCounts, bestCounts, options.seed ?? 1, markedSpans(mergeAnswers([...evalTasks, ...trainTasks, ...(rehearsal?.tasks ?? [])]))) : undefined,
		output: options.output,
		seconds: (performance.now() - started) / 1000,
	};
}

function readVectorsOption(file: string): ReturnType<typeof readVectorTable> {
	if (fs.existsSync(file) && fs.statSync(file).isFile() && !isVectorTable(file)) {
		throw new UserError(`--vectors: ${file} is not a vector table. Build one once with \`inkling vectors build ${file} TABLE\` and give TABLE to --vectors.`);
	}

	return readVectorTable(file);
}
