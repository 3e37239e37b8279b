import type {Evaluation} from '../model/evaluate.js';

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

/** A progress bar line for a terminal. */
export function progressBar(done: number, total: number, width = 24): string {
	const filled = Math.round((done / Math.max(1, total)) * width);
	return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
