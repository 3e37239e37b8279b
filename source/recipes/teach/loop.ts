import {
	mergeAnswers, prepareInputs, type PreparedSentence, type PrepareReport, type TokenSpan,
} from '../../model/data.js';
import {evaluateSentences, type Evaluation} from '../../model/evaluate.js';
import {networkSentence, type SpanNetwork} from '../../model/network.js';
import {OnlineLearner} from '../../model/online.js';
import {seededRandom} from '../../model/random.js';
import {defaultDistill, scoreSentences} from '../../model/train.js';
import {hashString, inputHash, taskHash} from '../../task/hash.js';
import type {Answer, Span, Task} from '../../task/task.js';
import type {Token} from '../../text/tokenize.js';
import type {Pattern} from './patterns.js';
import {ranker, rankWindow, type Rank} from './ranking.js';
import {WindowReader, type Sentence} from './reader.js';
import {defaultSelection, type Proposal, type SelectionOptions} from './selection.js';
import type {Question, SourceText} from './types.js';

export type LoopOptions = SelectionOptions & {
	/** Labels to ask about (the network has them). */
	labels: readonly string[];
	patterns: readonly Pattern[];
	/** Sentences read ahead and scored together. */
	window: number;
	/** Model proposals with a lower priority are not asked. */
	minPriority: number;
	/** Update the model after this many answers. */
	updateEvery: number;
	/** Gradient steps per update. */
	steps: number;
	learnRate: number;
	dropout: number;
	/** Earlier answered sentences rehearsed per update, per new one. */
	rehearsal: number;
	/** Weight of what the model believed of a sentence's unjudged spans before learning from its answers (0: none; see `targets`). */
	distill: number;
	skipInputs: ReadonlySet<number>;
	skipTasks: ReadonlySet<number>;
	seed: number;
	/** How proposals rank: `priority` by default; the active-learning benchmark passes a random or other rule. */
	rank?: (proposal: Proposal) => number;
};

export const defaultLoopOptions: Omit<LoopOptions, 'labels'> = {
	...defaultSelection,
	patterns: [],
	window: 20,
	minPriority: 0.1,
	updateEvery: 4,
	steps: 3,
	// Adam moves every weight with a gradient by about the rate on its first
	// steps, however small that gradient: an in-loop optimizer is new, so
	// at 0.002 one update on 4 rejects took a dotin job-title model from test
	// F1 0.35 to 0.06. At 0.0002 300 answers took it to 0.38-0.41.
	learnRate: 0.0002,
	dropout: 0.1,
	rehearsal: 3,
	distill: defaultDistill,
	skipInputs: new Set(),
	skipTasks: new Set(),
	seed: 0,
};

/** The key of a gold text's `index`th piece (a long text is cut into pieces): the first is keyed by the input hash, as answers are. */
function goldKey(hash: number, index: number): number {
	return index === 0 ? hash : hashString(`${hash}:${index}`);
}

const tokenKey = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label}`;

/**
 * The model in the loop, without threads or screens: reads the source in
 * windows of sentences, proposes questions, learns from answers, and scores
 * itself on gold data. The teach worker runs one; the active-learning
 * benchmark drives one directly.
 */
export class TeachLoop {
	readonly options: LoopOptions;
	readonly network: SpanNetwork;
	/** Answered sentences by input hash, with their yes/no answers on tokens. */
	readonly #answered = new Map<number, Sentence>();
	/** Sentences answered since they were last learnt from, oldest first, with how many answers each brought. */
	readonly #fresh = new Map<number, number>();
	#answersSinceUpdate = 0;
	#trained = 0;
	readonly #reader: WindowReader;
	readonly #random: () => number;
	readonly #learner: OnlineLearner;
	readonly #rank: Rank;
	readonly #gold: {sentences: PreparedSentence[]; report: PrepareReport} | undefined;
	/** The patterns of the labels asked about: one list for the session, so matching indexes it once. */
	readonly #patterns: readonly Pattern[];

	constructor(network: SpanNetwork, texts: Iterable<SourceText>, options: Partial<LoopOptions> & {labels: readonly string[]}, data: {earlier?: readonly Task[]; gold?: readonly Task[]} = {}) {
		this.network = network;
		this.options = {...defaultLoopOptions, ...options};
		this.#reader = new WindowReader(texts, network.config, this.options.skipInputs);
		this.#random = seededRandom(this.options.seed + 7);
		this.#rank = ranker(this.options, () => this.network.config.threshold ?? 0.5);
		this.#learner = new OnlineLearner(network, this.options);
		this.#patterns = this.options.patterns.filter(pattern => this.options.labels.includes(pattern.label));
		for (const sentence of prepareInputs(mergeAnswers((data.earlier ?? []).filter(task => task.answer !== 'ignore')), network.config).sentences) {
			if (sentence.accepted.length > 0 || sentence.rejected.length > 0 || sentence.gold) {
				this.#answered.set(sentence.inputHash, {...sentence, meta: {}});
			}
		}

		if (data.gold && data.gold.length > 0) {
			this.#gold = prepareInputs(mergeAnswers(data.gold), network.config);
		}
	}

	/** Whether the source has no more text. */
	get exhausted(): boolean {
		return this.#reader.exhausted;
	}

	/** Answers the model has learnt from so far. */
	get trained(): number {
		return this.#trained;
	}

	/**
	 * The questions of the next window (empty when nothing in it is worth
	 * asking); undefined when the source is done. `size` sentences, by default
	 * `options.window`: the first window is smaller, for a quick first question.
	 */
	nextWindow(size = this.options.window): Question[] | undefined {
		return this.readWindow(size)?.questions;
	}

	/**
	 * The next window's questions, and its `reserve`: up to that many of the
	 * best proposals it does not ask (over `minPriority` but past the window's
	 * or a sentence's limit, then under it), one a sentence, from sentences
	 * with no question. The teach screen asks a reserve question only when it
	 * has no other, so a person who answers faster than the model finds
	 * questions is not kept waiting.
	 */
	readWindow(size = this.options.window, reserve = 0): {questions: Question[]; reserve: Question[]} | undefined {
		const sentences = this.#reader.read(size);
		if (sentences.length === 0 && this.#reader.exhausted) {
			return undefined;
		}

		const ranked = rankWindow(sentences, scoreSentences(this.network, sentences), {
			...this.options, labels: this.network.config.labels, asked: this.options.labels, patterns: this.#patterns, rank: this.#rank,
		}, reserve);
		const toQuestions = (list: readonly Proposal[]) => list
			.map(proposal => this.#question(sentences[proposal.sentence]!, proposal, this.#rank(proposal)))
			.filter(question => !this.options.skipTasks.has(question.id));
		return {questions: toQuestions(ranked.chosen), reserve: toQuestions(ranked.reserve)};
	}

	#question(sentence: Sentence, proposal: Proposal, rank: number): Question {
		const first = sentence.tokens[proposal.start]!;
		const last = sentence.tokens[proposal.end]!;
		const span = {
			start: first.start, end: last.end, label: proposal.label, token_start: proposal.start, token_end: proposal.end,
		};
		return {
			id: taskHash({text: sentence.text, spans: [span]}, sentence.inputHash),
			inputHash: sentence.inputHash,
			text: sentence.text,
			tokens: sentence.tokens.map(token => ({
				text: token.text, start: token.start, end: token.end, id: token.id, ws: token.ws,
			})),
			span: {...span, text: sentence.text.slice(span.start, span.end)},
			label: proposal.label,
			score: proposal.score,
			priority: proposal.pattern === undefined ? rank : 1,
			...(proposal.pattern === undefined ? {} : {pattern: proposal.pattern}),
			meta: sentence.meta,
		};
	}

	#sentenceOf(question: Question): Sentence {
		let sentence = this.#answered.get(question.inputHash);
		if (!sentence) {
			const tokens: Token[] = question.tokens.map((token, id) => ({
				text: token.text, start: token.start, end: token.end, id, ws: token.ws ?? true,
			}));
			sentence = {
				...networkSentence(tokens, this.network.config),
				inputHash: question.inputHash,
				text: question.text,
				offset: 0,
				tokens,
				accepted: [],
				rejected: [],
				meta: question.meta,
			};
			this.#answered.set(question.inputHash, sentence);
		}

		return sentence;
	}

	/** Learn from an answer (an update follows every `updateEvery` answers: see `updateDue`). */
	answer(question: Question, answer: Answer): void {
		if (answer === 'ignore') {
			return;
		}

		const sentence = this.#sentenceOf(question);
		const span: TokenSpan = {start: question.span.token_start, end: question.span.token_end, label: question.label};
		(answer === 'accept' ? sentence.accepted : sentence.rejected).push(span);
		this.#fresh.set(question.inputHash, (this.#fresh.get(question.inputHash) ?? 0) + 1);
		this.#answersSinceUpdate++;
	}

	/**
	 * Learn from a complete annotation of a text (an example accepted in
	 * `correct`): these spans and no others. Counts as one answer towards the next update.
	 */
	learnGold(text: string, spans: readonly Span[]): void {
		this.forgetGold(text);
		const {sentences} = prepareInputs([{
			text, inputHash: inputHash({text}), gold: [...spans], accepted: [], rejected: [],
		}], this.network.config);
		for (const [index, sentence] of sentences.entries()) {
			const key = goldKey(sentence.inputHash, index);
			this.#answered.set(key, {...sentence, meta: {}});
			this.#fresh.set(key, index === 0 ? 1 : 0);
		}

		this.#answersSinceUpdate++;
	}

	/** Forget the annotation of a text (the person went back to it). */
	forgetGold(text: string): void {
		const hash = inputHash({text});
		for (let index = 0; this.#answered.has(goldKey(hash, index)); index++) {
			this.#answered.delete(goldKey(hash, index));
			this.#fresh.delete(goldKey(hash, index));
		}
	}

	/** Forget an answer that was undone. */
	forget(question: Question): void {
		const sentence = this.#answered.get(question.inputHash);
		if (!sentence) {
			return;
		}

		const key = tokenKey({start: question.span.token_start, end: question.span.token_end, label: question.label});
		for (const list of [sentence.accepted, sentence.rejected]) {
			const index = list.findIndex(span => tokenKey(span) === key);
			if (index !== -1) {
				list.splice(index, 1);
				this.#answersSinceUpdate = Math.max(0, this.#answersSinceUpdate - 1);
				const count = this.#fresh.get(question.inputHash);
				if (count !== undefined) {
					this.#fresh.set(question.inputHash, Math.max(0, count - 1));
				}

				break;
			}
		}
	}

	/** Answers since the last update. */
	get pending(): number {
		return this.#answersSinceUpdate;
	}

	/** Whether enough answers came in since the last update. */
	get updateDue(): boolean {
		return this.#answersSinceUpdate >= this.options.updateEvery;
	}

	/**
	 * A few gradient steps on the sentences answered since the last update,
	 * with a sample of earlier answered sentences so the model does not
	 * forget them. Returns the mean loss, or undefined when there was nothing to learn.
	 * With `maxSentences`, learns from at most that many of them, the oldest
	 * first, and leaves the rest pending: an update's time grows with its
	 * sentences, and the teach worker keeps each one short.
	 */
	update(maxSentences = Number.POSITIVE_INFINITY): number | undefined {
		const taken = [...this.#fresh.keys()].slice(0, maxSentences);
		let answers = 0;
		for (const key of taken) {
			answers += this.#fresh.get(key)!;
			this.#fresh.delete(key);
		}

		if (this.#fresh.size === 0) {
			answers = this.#answersSinceUpdate;
		}

		this.#answersSinceUpdate = Math.max(0, this.#answersSinceUpdate - answers);
		const fresh = taken.map(hash => this.#answered.get(hash)!).filter(sentence => sentence.accepted.length + sentence.rejected.length > 0 || sentence.gold);
		if (fresh.length === 0) {
			return undefined;
		}

		const freshHashes = new Set(fresh.map(sentence => sentence.inputHash));
		const earlier = [...this.#answered.values()].filter(sentence => !freshHashes.has(sentence.inputHash) && (sentence.accepted.length + sentence.rejected.length > 0 || sentence.gold));
		const rehearse: Sentence[] = [];
		const wanted = Math.min(earlier.length, Math.max(8, fresh.length * this.options.rehearsal));
		for (let index = 0; index < wanted; index++) {
			// Sampling with replacement: cheap, and fine for a handful from many.
			rehearse.push(earlier[Math.floor(this.#random() * earlier.length)]!);
		}

		const loss = this.#learner.learn([...fresh, ...new Set(rehearse)], this.#random);
		this.#trained += answers;
		return loss;
	}

	/** New scores (and priorities) for questions not yet answered; model proposals now under `minPriority` are dropped. */
	rescore(questions: readonly Question[]): Question[] {
		if (questions.length === 0) {
			return [];
		}

		const bySentence = new Map<number, {sentence: ReturnType<typeof networkSentence>; questions: Question[]}>();
		for (const question of questions) {
			const entry = bySentence.get(question.inputHash) ?? {sentence: networkSentence(question.tokens, this.network.config), questions: []};
			entry.questions.push(question);
			bySentence.set(question.inputHash, entry);
		}

		const entries = [...bySentence.values()];
		const scores = scoreSentences(this.network, entries.map(entry => entry.sentence));
		const {labels} = this.network.config;
		const rescored = new Map<number, Question>();
		for (const [e, entry] of entries.entries()) {
			const index = new Map(entry.sentence.candidates.map((candidate, c) => [`${candidate.start}:${candidate.end}`, c]));
			for (const question of entry.questions) {
				const c = index.get(`${question.span.token_start}:${question.span.token_end}`);
				if (c === undefined) {
					continue;
				}

				const score = scores[e]![(c * labels.length) + labels.indexOf(question.label)]!;
				const value = this.#rank({
					sentence: 0, start: question.span.token_start, end: question.span.token_end, label: question.label, score,
				});
				if (question.pattern !== undefined || value >= this.options.minPriority) {
					rescored.set(question.id, {...question, score, priority: question.pattern === undefined ? value : 1});
				}
			}
		}

		return questions.flatMap(question => rescored.get(question.id) ?? []);
	}

	/** The model's scores on the gold set, if there is one. */
	evaluate(): Evaluation | undefined {
		return this.#gold ? evaluateSentences(this.network, this.#gold.sentences, this.#gold.report) : undefined;
	}

	dispose(): void {
		this.#learner.dispose();
	}
}

