import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {ExecutionContext} from 'ava';

/** A fresh temporary folder, removed when the test ends. */
export function temporaryFolder(t: ExecutionContext): string {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-test-'));
	t.teardown(() => {
		fs.rmSync(folder, {recursive: true, force: true});
	});
	return folder;
}

let datasetsFolder: string | undefined;

/**
 * The shared datasets: `$INKLING_DATASETS` if set, else `../shared/datasets`
 * beside this checkout, else beside the repository it was cloned from (a
 * clean clone in a temporary folder, as CI makes, has no ../shared of its own).
 */
function datasets(): string {
	if (datasetsFolder !== undefined) {
		return datasetsFolder;
	}

	const checkout = path.resolve(import.meta.dirname, '../..');
	const candidates = [process.env.INKLING_DATASETS, path.resolve(checkout, '../shared/datasets')];
	try {
		const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], {cwd: checkout, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
		const local = origin.startsWith('file://') ? origin.slice('file://'.length) : origin;
		if (path.isAbsolute(local)) {
			candidates.push(path.resolve(local, '../shared/datasets'));
		}
	} catch {
		// Not a clone: the folder beside the checkout it is.
	}

	datasetsFolder = candidates.find(folder => folder !== undefined && fs.existsSync(folder)) ?? path.resolve(checkout, '../shared/datasets');
	return datasetsFolder;
}

/** The path of a file in the shared datasets (../shared/datasets). */
export function sharedDataset(...parts: string[]): string {
	return path.join(datasets(), ...parts);
}

/** Read a JSONL file into objects. */
export function readJsonl<T>(file: string): T[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as T);
}
