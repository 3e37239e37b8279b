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

/**
 * Set the backend registered as `name`; when it does not start, return why.
 * tfjs catches what the backend's factory throws and only logs it (and
 * inkling turns tfjs's logging off), so the factory is registered again,
 * through tfjs's public registry, wrapped to keep that error.
 */
async function setBackendOrReason(tf: typeof Tfjs, name: string): Promise<string | undefined> {
	const factory = tf.findBackendFactory(name) as (() => unknown) | undefined;
	if (!factory) {
		return `tf.setBackend('${name}') failed: no backend of that name is registered`;
	}

	let failure: unknown;
	const keep = (error: unknown): never => {
		failure = error;
		throw error;
	};

	tf.removeBackend(name);
	tf.registerBackend(name, () => {
		try {
			const made = factory();
			return (made instanceof Promise ? made.catch(keep) : made) as Tfjs.KernelBackend;
		} catch (error) {
			return keep(error);
		}
	});
	if (await tf.setBackend(name) && tf.getBackend() === name) {
		return undefined;
	}

	return `tf.setBackend('${name}') failed${failure === undefined ? '' : `: ${firstLine(messageOf(failure))}`}`;
}

/** What a thrown value says: the wasm backend rejects with a plain `{message}` object, not an Error. */
function messageOf(thrown: unknown): string {
	const message = typeof thrown === 'object' && thrown !== null ? (thrown as {message?: unknown}).message : undefined;
	return typeof message === 'string' ? message : String(thrown);
}

async function tryBackend(tf: typeof Tfjs, backend: BackendName): Promise<BackendAttempt> {
	const packageName = backendPackage[backend];
	const name = tfjsBackend[backend];
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

		const reason = await setBackendOrReason(tf, name);
		return reason === undefined ? {backend, loaded: true} : {backend, loaded: false, reason};
	} catch (error) {
		return {backend, loaded: false, reason: `tf.setBackend('${name}') failed: ${firstLine(error instanceof Error ? error.message : String(error))}`};
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
	// The production mode of tfjs turns off only its console messages (in 4.x it gates its log and warn, nothing else):
	// the cpu backend's "install our node backend" banner, "Platform node has already been set" when a node
	// package loads, a failed backend's error (setBackendOrReason keeps that). doctor says what loaded and why.
	tf.enableProdMode();
	const attempts: BackendAttempt[] = [];
	for (const backend of choice === undefined ? backendNames : [choice.backend]) {
		// eslint-disable-next-line no-await-in-loop -- one at a time, fastest first, stopping at the first that loads
		const attempt = await tryBackend(tf, backend);
		attempts.push(attempt);
		if (attempt.loaded) {
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
/**
 * In a worker thread, start loading the backend while the calling thread is
 * still starting, unless the command line names one (then the worker's
 * `start` message says which). Not awaited; a failure is reported by the
 * load that `start` makes, which tries again.
 */
export function preloadBackend(): void {
	if (!process.argv.some(argument => argument === '--backend' || argument.startsWith('--backend='))) {
		loadBackend().catch(() => undefined);
	}
}

export function backendInfo(): BackendInfo {
	return {...state, attempts: [...state.attempts]};
}
