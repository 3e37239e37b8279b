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

/** The path of a file in ../shared/datasets. */
export function sharedDataset(...parts: string[]): string {
	return path.resolve(import.meta.dirname, '../../../shared/datasets', ...parts);
}

/** Read a JSONL file into objects. */
export function readJsonl<T>(file: string): T[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as T);
}
