import fs from 'node:fs';
import path from 'node:path';
import {readUserFile, UserError} from '../errors.js';

// Reading a model folder's manifest without loading TensorFlow.js, so the
// screen's thread can check labels before the worker loads the model.

export const modelFile = 'model.json';

/** The folder a model path names: the path itself, or its `model-best` when `train -o` wrote one there. */
export function resolveModelFolder(folder: string): string {
	if (!fs.existsSync(path.join(folder, modelFile)) && fs.existsSync(path.join(folder, 'model-best', modelFile))) {
		return path.join(folder, 'model-best');
	}

	return folder;
}

/** A JSON file of a model folder; a missing or damaged one is a `UserError` naming it. */
export function readModelJson(file: string): unknown {
	const text = readUserFile(file, 'missing. A model folder holds model.json and weights.bin, as `inkling train -o FOLDER` writes them.').toString('utf8');
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new UserError(`${file}: not valid JSON (${(error as Error).message}); the model folder is damaged, train or copy it again.`);
	}
}

/** The labels of a model folder, from its manifest. */
export function modelLabels(folder: string): string[] {
	if (!fs.existsSync(folder)) {
		throw new UserError(`${folder}: no such model folder. Give a folder written by \`inkling train -o\`, or "blank".`);
	}

	const file = path.join(resolveModelFolder(folder), modelFile);
	const manifest = readModelJson(file) as {inkling_model?: unknown; config?: {labels?: unknown}} | undefined;
	if (manifest?.inkling_model !== 1 || !Array.isArray(manifest.config?.labels)) {
		throw new UserError(`${file}: not an inkling model (no "inkling_model": 1, "config" and "weights").`);
	}

	return manifest.config.labels.map(String);
}
