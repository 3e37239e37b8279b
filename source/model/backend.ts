import process from 'node:process';
import type * as Tfjs from '@tensorflow/tfjs';
import {UserError} from '../errors.js';

/** The backends inkling can run on, fastest first: the order `loadBackend` tries them. */
export const backendNames = ['gpu', 'node', 'wasm', 'cpu'] as const;

export type BackendName = typeof backendNames[number];

export type BackendAttempt = {
	readonly backend: BackendName;
	readonly loaded: boolean;
	/** Why it did not load, in one line a person can act on; absent when it loaded. */
	readonly reason?: string;
};

export type LoadedBackend = {
	readonly backend: BackendName;
	/** Every backend tried, in order, ending with the one that loaded. */
	readonly attempts: BackendAttempt[];
};

export type BackendInfo = {
	/** Undefined until `loadBackend` has succeeded. */
	readonly backend: BackendName | undefined;
	readonly attempts: BackendAttempt[];
	/** Set when wasm loaded: whether tfjs uses WebAssembly SIMD, and threads (never in Node: tensorflow/tfjs#3830). */
	readonly simd?: boolean;
	readonly threads?: boolean;
};

/** The package each backend comes from (`cpu` is built into tfjs). */
export const backendPackage: Readonly<Record<BackendName, string>> = {
	gpu: '@tensorflow/tfjs-node-gpu',
	node: '@tensorflow/tfjs-node',
	wasm: '@tensorflow/tfjs-backend-wasm',
	cpu: '@tensorflow/tfjs',
};

/** The name tfjs registers each backend under: both node packages register `tensorflow`. */
const tfjsBackend: Readonly<Record<BackendName, string>> = {
	gpu: 'tensorflow',
	node: 'tensorflow',
	wasm: 'wasm',
	cpu: 'cpu',
};

const remedy: Readonly<Record<BackendName, string>> = {
	gpu: 'use --backend wasm, or install @tensorflow/tfjs-node-gpu on a machine with internet and CUDA 11.2 with cuDNN 8',
	node: 'use --backend wasm, or install @tensorflow/tfjs-node on a machine with internet',
	wasm: 'use --backend cpu, or run npm install again',
	cpu: 'this is a bug in inkling or tfjs: please report it',
};

const libtensorflowHint = 'its install script downloads libtensorflow, which failed or was skipped';

/** Whether a string names a backend. */
export function isBackendName(value: unknown): value is BackendName {
	return backendNames.includes(value as BackendName);
}

function firstLine(message: string): string {
	const line = message.trim().split('\n', 1)[0]!.trim();
	return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** Turn the error from importing a backend's package into one line saying what is missing and what to do. */
export function explainLoadError(packageName: string, error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const code = (error as {code?: unknown} | undefined)?.code;
	const line = firstLine(message);
	// The binding links libtensorflow, which (in the gpu build) needs CUDA: dlopen names the first library it cannot find.
	if (/\blib(?:cuda|cudart|cublas|cublaslt|cudnn|cufft|curand|cusolver|cusparse)\b|\bcuda/iu.test(message)) {
		return `CUDA library missing: ${line} (tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8 on the library path)`;
	}

	if (message.includes('libtensorflow')) {
		return `libtensorflow missing: ${line} (${libtensorflowHint}; run npm rebuild ${packageName} with internet)`;
	}

	if (/tfjs_binding|\.node\b/u.test(message)) {
		const path = /can ?not be found at path:?\s*(\S+?)\.?(?:\s|$)/iu.exec(message)?.[1];
		return path === undefined
			? `binding failed to load: ${line} (run npm rebuild ${packageName})`
			: `binding missing: ${path} (run npm rebuild ${packageName})`;
	}

	// Only the package itself: a missing dependency of it is a different problem, said by the first line.
	const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (?:module|package)/u.test(message);
	if (notFound && message.includes(`'${packageName}'`)) {
		const hint = packageName.startsWith('@tensorflow/tfjs-node') ? libtensorflowHint : 'run npm install';
		return `package ${packageName} is not installed (${hint})`;
	}

	return line;
}

/** Why `tf.setBackend` returned false: tfjs swallows the error and prints it with console.warn, so take it from there. */
function initializationFailure(name: string, warnings: string[]): string {
	const cause = warnings.find(warning => !warning.startsWith('Initialization of backend'));
	return `tf.setBackend('${name}') failed${cause === undefined ? '' : `: ${firstLine(cause)}`}`;
}

async function tryBackend(tf: typeof Tfjs, backend: BackendName): Promise<BackendAttempt> {
	const packageName = backendPackage[backend];
	const name = tfjsBackend[backend];
	// Held while one backend loads, so that tfjs's own warnings (a failed initialization, "Platform node has already
	// been set") end up in the reason, not on the terminal.
	const warnings: string[] = [];
	const {warn} = console;
	console.warn = (...parts: unknown[]) => {
		warnings.push(parts.map(String).join(' '));
	};

	try {
		if (backend !== 'cpu') {
			try {
				// A variable, so that tsc does not look for optional packages that may not be installed. The node
				// packages register `tensorflow` in the engine of `@tensorflow/tfjs`, which the rest of inkling imports.
				// tfjs-backend-wasm finds its .wasm files next to its own script in Node (checked), so no setWasmPaths.
				await import(packageName);
			} catch (error) {
				return {backend, loaded: false, reason: explainLoadError(packageName, error)};
			}
		}

		if (await tf.setBackend(name) && tf.getBackend() === name) {
			return {backend, loaded: true};
		}

		return {backend, loaded: false, reason: initializationFailure(name, warnings)};
	} catch (error) {
		return {backend, loaded: false, reason: `tf.setBackend('${name}') failed: ${firstLine(error instanceof Error ? error.message : String(error))}`};
	} finally {
		console.warn = warn;
	}
}

/**
 * The cpu backend warns "looks like you are running TensorFlow.js in Node.js ... install our node backend" on its
 * first tensor when IS_NODE is set. The only switch tfjs offers is PROD, which also drops its other warnings and
 * checks, so mark this backend as already used instead; doctor says why the node backend did not load.
 */
function silenceCpuBanner(tf: typeof Tfjs): void {
	const backend = tf.backend() as unknown as {firstUse?: boolean};
	if (typeof backend.firstUse === 'boolean') {
		backend.firstUse = false;
	}
}

type Choice = {backend: BackendName; source: string} | undefined;

/**
 * `INKLING_BACKEND` (gpu, node, wasm or cpu) picks the backend when the caller names none, as `--backend` does:
 * for a worker thread, a test run or a server where one backend is known to misbehave.
 */
function environmentChoice(): Choice {
	const value = process.env.INKLING_BACKEND?.trim();
	if (!value) {
		return undefined;
	}

	if (!isBackendName(value)) {
		throw new UserError(`INKLING_BACKEND=${value} is not a backend: use one of ${backendNames.join(', ')}, or unset it.`);
	}

	return {backend: value, source: `INKLING_BACKEND=${value}`};
}

let state: BackendInfo = {backend: undefined, attempts: []};
let loading: Promise<LoadedBackend> | undefined;

async function load(choice: Choice): Promise<LoadedBackend> {
	// Imported here, not at the top, so that commands can import `backendNames` without the half second tfjs takes.
	const tf = await import('@tensorflow/tfjs');
	const attempts: BackendAttempt[] = [];
	for (const backend of choice === undefined ? backendNames : [choice.backend]) {
		// eslint-disable-next-line no-await-in-loop -- one at a time, fastest first, stopping at the first that loads
		const attempt = await tryBackend(tf, backend);
		attempts.push(attempt);
		if (attempt.loaded) {
			if (backend === 'cpu') {
				silenceCpuBanner(tf);
			}

			const wasm = backend === 'wasm'
				? {
					// eslint-disable-next-line no-await-in-loop -- runs once, for the backend that loaded
					simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
					// eslint-disable-next-line no-await-in-loop -- as above
					threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
				}
				: {};
			state = {backend, attempts, ...wasm};
			return {backend, attempts};
		}
	}

	state = {backend: undefined, attempts};
	const failed = attempts.at(-1)!;
	if (choice !== undefined) {
		throw new UserError(`${choice.source}: ${failed.reason ?? 'did not load'}; ${remedy[choice.backend]}`);
	}

	// Only if even the pure-JS backend fails: tfjs itself is broken.
	throw new Error(`No TensorFlow.js backend loaded: ${attempts.map(item => `${item.backend}: ${item.reason ?? 'did not load'}`).join('; ')}`);
}

/**
 * Load one TensorFlow.js backend for this process (each worker thread has its own tfjs, so its own backend): the
 * fastest that loads, or only `prefer` (else `INKLING_BACKEND`), which throws a UserError saying why when it does not
 * load. Memoised: later calls return the same result, and asking for a different backend afterwards throws.
 */
export async function loadBackend(options: {prefer?: BackendName} = {}): Promise<LoadedBackend> {
	const {prefer} = options;
	if (prefer !== undefined && !isBackendName(prefer)) {
		throw new UserError(`--backend ${String(prefer)} is not a backend: use one of ${backendNames.join(', ')}.`);
	}

	if (loading === undefined) {
		const current = load(prefer === undefined ? environmentChoice() : {backend: prefer, source: `--backend ${prefer}`});
		loading = current;
		// A failed load can be retried, say with another backend.
		current.catch(() => {
			if (loading === current) {
				loading = undefined;
			}
		});
		return current;
	}

	const result = await loading;
	if (prefer !== undefined && prefer !== result.backend) {
		throw new Error(`The ${result.backend} backend is already loaded in this process, so it cannot switch to ${prefer}: pass the backend to the first loadBackend call.`);
	}

	return result;
}

/** Which backend loaded and why the ones before it did not, without loading anything. */
export function backendInfo(): BackendInfo {
	return {...state, attempts: [...state.attempts]};
}
