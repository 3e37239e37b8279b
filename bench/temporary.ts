import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary folder for a benchmark, and a way to remove it. */
export function temporaryFolderFor(name: string): {path: string; remove: () => void} {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `inkling-bench-${name}-`));
	return {
		path: folder,
		remove() {
			fs.rmSync(folder, {recursive: true, force: true});
		},
	};
}
