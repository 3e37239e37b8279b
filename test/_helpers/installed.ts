import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);

/** Whether a package resolves from the project, as the backend loader looks for it. */
export function isInstalled(name: string): boolean {
	try {
		require.resolve(name);
		return true;
	} catch {
		return false;
	}
}

/**
 * Whether tfjs-node or tfjs-node-gpu is installed: on a GPU server the
 * default backend is theirs, and the tests that check the fallback to wasm
 * (what every machine without them runs) do not apply.
 */
export const nodeBackendInstalled = isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node');
