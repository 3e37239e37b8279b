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
 * beside this checkout (`.ci/run` sets `INKLING_DATASETS` for a clean clone
 * elsewhere). Tests that read them skip where they are absent.
 */
function datasets(): string {
	if (datasetsFolder !== undefined) {
		return datasetsFolder;
	}

	const checkout = path.resolve(import.meta.dirname, '../..');
	datasetsFolder = process.env.INKLING_DATASETS ?? path.resolve(checkout, '../shared/datasets');
	return datasetsFolder;
}

/** Whether the shared datasets are here: the tests that read them run only then (their titles say "../shared"). */
export function hasSharedDatasets(): boolean {
	return fs.existsSync(datasets());
}

/** The path of a file in the shared datasets (../shared/datasets). */
export function sharedDataset(...parts: string[]): string {
	return path.join(datasets(), ...parts);
}

/** Read a JSONL file into objects. */
export function readJsonl<T>(file: string): T[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as T);
}
