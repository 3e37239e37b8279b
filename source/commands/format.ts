import type {TrainStart, Verdict} from '../recipes/train.js';
import type {Evaluation} from '../model/evaluate.js';
import {preferenceText, significance} from '../recipes/ab-stats.js';

const percent = (value: number) => (value * 100).toFixed(1).padStart(5);

/** A per-label table of precision, recall and F1, with a base model's F1 beside when given. */
export function scoreTable(evaluation: Evaluation, base?: Evaluation): string {
	const lines: string[] = [];
	if (evaluation.gold) {
		const header = `${'label'.padEnd(16)}${'P'.padStart(7)}${'R'.padStart(7)}${'F1'.padStart(7)}${base?.gold ? '  base F1' : ''}`;
		lines.push(header);
		const row = (name: string, scores: {precision: number; recall: number; f1: number}, baseF1?: number) => `${name.padEnd(16)}  ${percent(scores.precision)}  ${percent(scores.recall)}  ${percent(scores.f1)}${baseF1 === undefined ? '' : `    ${percent(baseF1)}`}`;
		for (const [label, scores] of Object.entries(evaluation.gold.per_label)) {
			lines.push(row(label, scores, base?.gold?.per_label[label]?.f1));
		}

		lines.push(row('all', evaluation.gold, base?.gold?.f1));
	}

	if (evaluation.binary) {
		const {binary} = evaluation;
		lines.push(`yes/no answers: found ${binary.acceptedFound} of ${binary.accepted} accepted spans; still predicts ${binary.rejectedPredicted} of ${binary.rejected} rejected spans; ${binary.unjudged} predicted spans no answer judges`
			+ (base?.binary ? ` (base model: found ${base.binary.acceptedFound}, predicts ${base.binary.rejectedPredicted} rejected)` : ''));
	}

	return lines.join('\n');
}

/** How the threshold the model predicts at was chosen, when it was tuned on gold. */
export function thresholdLine(evaluation: Evaluation): string | undefined {
	const {tuned} = evaluation;
	if (!tuned) {
		return undefined;
	}

	const {sentences} = tuned;
	if (sentences?.overruled) {
		const {overruled} = sentences;
		const f1 = (value: number) => (value * 100).toFixed(1);
		return `Predicts spans of probability ${tuned.threshold} and over: F1 ${f1(tuned.f1)}, against ${f1(tuned.bestF1)} at ${tuned.best}. At ${overruled.threshold}, where F1 alone would have put it, the new model made more errors than the base model in ${overruled.losses} gold sentences and fewer in ${overruled.wins}; at ${tuned.threshold}, more in ${sentences.losses} and fewer in ${sentences.wins}`
			+ (sentences.wins >= sentences.losses ? '.' : ': no threshold wins as many sentences as it loses, and this one loses fewest.');
	}

	return tuned.threshold === tuned.best
		? `Predicts spans of probability ${tuned.threshold} and over: the threshold with the best F1.`
		: `Predicts spans of probability ${tuned.threshold} and over: F1 ${(tuned.f1 * 100).toFixed(1)}, within one standard error (${(tuned.error * 100).toFixed(1)}) of the best, ${(tuned.bestF1 * 100).toFixed(1)} at ${tuned.best}. The evaluation set cannot tell the two apart, and the higher threshold predicts fewer wrong spans.`;
}

/** A progress bar line for a terminal. */
export function progressBar(done: number, total: number, width = 24): string {
	const filled = Math.round((done / Math.max(1, total)) * width);
	return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** An evaluation set smaller than this gives intervals too wide to tell most models apart. */
export const smallEvaluation = 50;

/** What a reader of train's figures must know about its evaluation set: yes/no answers are not gold, and a small set says little. */
export function evaluationNotes(start: TrainStart): string[] {
	const {evaluation, evaluationKind} = start;
	if (!evaluation) {
		return [];
	}

	const notes: string[] = [];
	if (start.baseHeldOut > 0) {
		notes.push(`${start.baseHeldOut} of them ${start.baseHeldOut === 1 ? 'is a gold input' : 'are gold inputs'} the base model held out to evaluate itself: neither model learns from them, so the best epoch, the threshold and the verdict are chosen on real F1`);
	}

	if (evaluationKind === 'binary') {
		notes.push('the evaluation set holds yes/no answers, not gold: its figures count the answers the model agrees with (accepted spans found, rejected spans not predicted), which is not an F1 on real text; the best epoch is chosen on them. Give a gold set with -e/--eval-id to know the model\'s F1');
	}

	if (evaluation.inputs < smallEvaluation) {
		notes.push(`the evaluation set has only ${evaluation.inputs} input${evaluation.inputs === 1 ? '' : 's'}: under ${smallEvaluation}, its scores move by several points from one model to the next by chance`);
	}

	return notes;
}

const signedPercent = (value: number) => `${value < 0 ? '-' : '+'}${Math.abs(value * 100).toFixed(1)}`;

/**
 * The verdict against the base model: better, worse or no different by F1,
 * with its 95% interval; and, when the sentences were compared, a second line
 * that says how a blind A/B would likely go. Where F1 rose but more sentences
 * got worse than better, the first line says so instead of BETTER: that is the
 * model a person comparing the two would not choose.
 */
export function verdictLine(verdict: Verdict): string {
	const figures = `F1 ${signedPercent(verdict.difference)} (95% CI ${signedPercent(verdict.low)} to ${signedPercent(verdict.high)}, paired bootstrap over ${verdict.inputs} gold inputs)`;
	const {sentences} = verdict;
	const notPreferred = sentences !== undefined && sentences.wins <= sentences.losses;
	const first = (() => {
		switch (verdict.verdict) {
			case 'better': {
				return notPreferred
					? `Verdict: higher F1 than the base model, but NOT better sentence by sentence: ${figures}. A blind A/B would likely prefer the base or neither: check with \`inkling eval-ab\` before replacing it.`
					: `Verdict: BETTER than the base model: ${figures}.`;
			}

			case 'worse': {
				return `Verdict: WORSE than the base model: ${figures}. Keep the base model.`;
			}

			case 'no difference': {
				return `Verdict: no difference from the base model that this evaluation set can show: ${figures}.`;
			}
		}
	})();
	if (!sentences) {
		return first;
	}

	const compared = sentences.wins + sentences.losses + sentences.ties;
	const settled = sentences.p < significance ? ` A blind A/B would likely prefer the ${sentences.wins > sentences.losses ? 'new model' : 'base model'}.` : '';
	return `${first}\nSentence by sentence (${compared} gold sentences, as a blind A/B judged by the gold would see them): the new model makes ${preferenceText(sentences, 'it')}.${settled}`;
}
