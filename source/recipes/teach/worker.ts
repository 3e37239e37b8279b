import {UserError} from '../../errors.js';
import {isBackendName, loadBackend, preloadBackend} from '../../model/backend.js';
import {serveChannel} from '../../worker/channel.js';
import {NerModel} from '../../model/model.js';
import {readVectorTable} from '../../model/vector-table.js';
import type {Answer} from '../../task/task.js';
import {saveAtomically} from '../save-model.js';
import {TeachLoop} from './loop.js';
import {readPatterns} from './patterns.js';
import {reservePerWindow} from './selection.js';
import {
	reserveLimit, type FromWorker, type ModelStatus, type Question, type ToWorker, type WorkerOptions,
} from './types.js';

/**
 * Questions the screen should have waiting, so a key never waits on the
 * model. Counted here, where answers arrive late (behind an update), so it is
 * more than a person answers while the model updates.
 */
const queueTarget = 24;
/**
 * An update waits until no answer has come for this long (at most until three
 * updates' worth of answers wait; the queue is filled meanwhile): the key's
 * frame is drawn while this thread is idle, instead of on a machine whose
 * other core the update keeps busy (on 2 cores that put up to 15 ms on a
 * key's time to the next question). A queue running low is always filled
 * first: while answers come faster than the model can read ahead, it reads
 * ahead, and learns when they slow down.
 */
const settleMs = 60;
/**
 * Sentences one update learns from at most; the rest wait for the next. An
 * update's time grows with its sentences (4 answers took 0.1-0.4 s on 2
 * cores, 24 took 1.1-1.6 s), and the queue is not filled meanwhile.
 */
const updateSentences = 8;
/**
 * While answers keep coming, an update waits for a queue that lasts through
 * it at the pace of the answers, twice over (rescoring after the update drops
 * the questions the model has become sure of), and at most this long. At a
 * held key's pace (30 answers a second) a queue of 24 ran dry after updates.
 */
const streamingQueueLimit = 96;
/**
 * The first questions are sent together, once there are this many, or
 * `startWaitMs` after the first window, whichever comes first: a first window
 * of job ads often holds one question, and a person who answers it at once
 * (or holds a key down) found the queue empty.
 */
const startQuestions = 8;
const startWaitMs = 200;

/**
 * The worker's side of teach: owns the model and the loop, answers the
 * screen's messages, and keeps the screen's queue full between them.
 */
export class TeachWorker {
	readonly #send: (message: FromWorker) => void;
	#model: NerModel | undefined;
	#loop: TeachLoop | undefined;
	/** Questions sent to the screen and not answered yet, in order. */
	#outstanding: Question[] = [];
	/** The reserve questions the screen holds, as it keeps them (the latest `reserveLimit`). */
	#reserve: number[] = [];
	#status: ModelStatus = {updates: 0, losses: [], trained: 0};
	#pumping = false;
	#lastAnswerAt = 0;
	/** The time between answers, smoothed (ms). */
	#answerGapMs: number | undefined;
	/** How long the last update took, rescoring included (ms); the first is the slowest (its kernels run for the first time). */
	#updateMs = 1000;
	#exhausted = false;
	/** The first window has been read (it is smaller). */
	#reading = false;
	/** The first questions have gone to the screen: from then on, the end of the source is reported as soon as it is found. */
	#started = false;
	#evaluationSeconds = 0;
	#lastEvaluation = 0;

	constructor(send: (message: FromWorker) => void) {
		this.#send = send;
	}

	async handle(message: ToWorker): Promise<void> {
		try {
			switch (message.type) {
				case 'start': {
					await this.#start(message.options);
					break;
				}

				case 'answer': {
					this.#answer(message.question, message.answer);
					break;
				}

				case 'undo': {
					this.#loop?.forget(message.question);
					this.#outstanding.unshift(message.question);
					break;
				}

				case 'save': {
					// The saved model has learnt from every answer: a backlog (answers came faster than updates) in
					// updates of a few times the usual size, as one batch of hundreds of sentences would take minutes.
					for (let left = 1000; this.#loop && this.#loop.pending > 0 && left > 0; left--) {
						if (!this.#update(updateSentences * 4, false)) {
							break;
						}
					}

					if (this.#model) {
						saveAtomically(this.#model, message.folder, {...message.meta, answers: this.#status.trained, updates: this.#status.updates});
					}

					this.#send({type: 'saved', folder: message.folder});
					break;
				}

				case 'stop': {
					this.#loop?.dispose();
					this.#model?.dispose();
					this.#loop = undefined;
					break;
				}
			}
		} catch (error) {
			this.#send({type: 'error', message: error instanceof Error ? error.message : String(error), user: error instanceof UserError});
		}

		this.#schedulePump();
	}

	async #start(options: WorkerOptions): Promise<void> {
		const backend = await loadBackend(options.backend !== undefined && isBackendName(options.backend) ? {prefer: options.backend} : {});
		const model = options.resume
			? NerModel.load(options.resume)
			: (options.model === 'blank' ? NerModel.blank(options.labels, {}, options.vectors ? readVectorTable(options.vectors) : undefined) : NerModel.load(options.model));
		const addedLabels = model.network.addLabels(options.labels);
		const patterns = options.patterns ? readPatterns(options.patterns, options.labels.length === 1 ? options.labels[0] : undefined) : [];
		this.#model = model;
		this.#loop = new TeachLoop(model.network, options.source, {
			labels: options.labels,
			patterns,
			prefer: options.prefer,
			bias: options.bias,
			skipInputs: new Set(options.skipInputs),
			skipTasks: new Set(options.skipTasks),
			seed: options.seed,
			...options.tuning,
		}, {earlier: options.earlier, gold: options.gold});
		this.#send({
			type: 'ready', backend: backend.backend, labels: model.labels, addedLabels,
		});
		// The first questions before the starting score: the screen waits for those, not for this.
		this.#fillAtStart();
		const evaluation = this.#evaluate(true);
		if (evaluation !== undefined) {
			this.#status = {...this.#status, startF1: evaluation, f1: evaluation};
			this.#send({type: 'status', status: this.#status});
		}
	}

	#evaluate(force = false): number | undefined {
		// Live F1 costs time in proportion to the gold set: on a large set, evaluate less often.
		const now = performance.now();
		if (!force && (now - this.#lastEvaluation) < this.#evaluationSeconds * 1000 * 5) {
			return undefined;
		}

		const started = performance.now();
		const evaluation = this.#loop?.evaluate();
		this.#evaluationSeconds = (performance.now() - started) / 1000;
		this.#lastEvaluation = performance.now();
		return evaluation?.gold?.f1;
	}

	#answer(question: Question, answer: Answer): void {
		const loop = this.#loop;
		if (!loop) {
			return;
		}

		this.#outstanding = this.#outstanding.filter(item => item.id !== question.id);
		this.#reserve = this.#reserve.filter(id => id !== question.id);
		loop.answer(question, answer);
		const now = performance.now();
		const gap = now - this.#lastAnswerAt;
		if (gap < 2000) {
			this.#answerGapMs = this.#answerGapMs === undefined ? gap : (0.8 * this.#answerGapMs) + (0.2 * gap);
		}

		this.#lastAnswerAt = now;
	}

	/** Learn from the answers since the last update (at most `sentences` of them), rescore the questions waiting, and report. */
	#update(sentences = updateSentences, rescore = true): boolean {
		const loop = this.#loop;
		if (!loop) {
			return false;
		}

		const started = performance.now();
		const loss = loop.update(sentences);
		if (loss === undefined) {
			return false;
		}

		if (rescore) {
			this.#outstanding = loop.rescore(this.#outstanding);
			this.#send({type: 'questions', questions: this.#outstanding, replace: true});
		}

		this.#updateMs = performance.now() - started;
		const f1 = this.#evaluate();
		this.#status = {
			...this.#status,
			updates: this.#status.updates + 1,
			losses: [...this.#status.losses, loss].slice(-20),
			trained: loop.trained,
			...(f1 === undefined ? {} : {f1}),
		};
		this.#send({type: 'status', status: this.#status});
		return true;
	}

	/** The first windows, sent as one message: see `startQuestions`. */
	#fillAtStart(): void {
		const started = performance.now();
		const first: Question[] = [];
		const reserve: Question[] = [];
		for (let window = this.#readWindow(); window !== undefined; window = this.#readWindow()) {
			first.push(...window.questions);
			reserve.push(...window.reserve);
			if (first.length >= startQuestions || (first.length > 0 && performance.now() - started >= startWaitMs)) {
				break;
			}
		}

		if (first.length + reserve.length > 0) {
			this.#send({
				type: 'questions', questions: first, replace: false, reserve,
			});
		}

		this.#started = true;
		// Only after the questions read before it: a screen (or a simulated annotator) told the source is done with none waiting would stop.
		if (this.#exhausted) {
			this.#send({type: 'exhausted'});
		}
	}

	/** The queue an update waits for while answers keep coming: see `streamingQueueLimit`. */
	#streamingTarget(): number {
		const perSecond = this.#answerGapMs === undefined ? 0 : 1000 / Math.max(1, this.#answerGapMs);
		return Math.min(streamingQueueLimit, Math.max(queueTarget, Math.ceil(perSecond * (this.#updateMs / 1000) * 2) + 8));
	}

	/** Read a window, unless the screen has `target` questions waiting or the source has ended; returns its questions and reserve. */
	#readWindow(target = queueTarget): {questions: Question[]; reserve: Question[]} | undefined {
		const loop = this.#loop;
		if (!loop || this.#exhausted || this.#outstanding.length >= target) {
			return undefined;
		}

		// The first window is small, so the first question shows sooner.
		const window = loop.readWindow(this.#outstanding.length === 0 && !this.#reading ? 6 : undefined, reservePerWindow);
		this.#reading = true;
		if (window === undefined) {
			this.#exhausted = true;
			if (this.#started) {
				this.#send({type: 'exhausted'});
			}

			return undefined;
		}

		this.#outstanding.push(...window.questions);
		this.#reserve = [...this.#reserve, ...window.reserve.map(question => question.id)].slice(-reserveLimit);
		return window;
	}

	/** Read a window and send its questions; false when there was nothing to read. */
	#fill(target = queueTarget): boolean {
		const window = this.#readWindow(target);
		if (window === undefined) {
			return false;
		}

		if (window.questions.length + window.reserve.length > 0) {
			this.#send({
				type: 'questions', questions: window.questions, replace: false, reserve: window.reserve,
			});
		}

		return true;
	}

	/** One window per turn of the event loop, so answers are taken in between. */
	#schedulePump(): void {
		if (this.#pumping) {
			return;
		}

		this.#pumping = true;
		// After the messages that have arrived, so a burst of answers makes one
		// update, not one each; a queue running low is filled before the model
		// updates, so the person is not kept waiting by an update.
		setImmediate(() => {
			this.#pump();
		});
	}

	#pump(): void {
		this.#pumping = false;
		const loop = this.#loop;
		let worked: boolean;
		if (this.#outstanding.length < queueTarget / 3 && this.#fill()) {
			worked = true;
		} else if (loop?.updateDue) {
			const settling = this.#lastAnswerAt + settleMs - performance.now();
			// While answers keep coming, update only with three updates' worth waiting and a queue that lasts through the update.
			const target = this.#streamingTarget();
			if (settling > 0 && (loop.pending < loop.options.updateEvery * 3 || this.#outstanding.length + this.#reserve.length < target)) {
				// Read ahead meanwhile; when there is nothing to read, wait for the answers to pause.
				worked = this.#fill(target);
				if (!worked) {
					this.#pumping = true;
					setTimeout(() => {
						this.#pump();
					}, settling);
					return;
				}
			} else {
				this.#update();
				worked = true;
			}
		} else {
			worked = this.#fill();
		}

		if (worked) {
			this.#schedulePump();
		}
	}
}

if (serveChannel<ToWorker, FromWorker>(send => new TeachWorker(send))) {
	preloadBackend();
}
