// A worker thread's module, loaded as the rest of the CLI is (see bin.js):
// built, when the worker entry sits in dist/ beside its `worker.js`, else
// through tsx's loader from `worker.ts`.
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';

/** Load the `worker` module beside the entry at `entryUrl`. */
export async function loadWorkerModule(entryUrl) {
	const compiled = new URL('worker.js', entryUrl);
	if (fs.existsSync(fileURLToPath(compiled))) {
		await import(compiled.href);
		return;
	}

	const {register} = await import('tsx/esm/api');
	register();
	await import(new URL('worker.ts', entryUrl).href);
}
