import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import {performance} from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import {
	backendInfo, backendNames, backendPackage, loadBackend, type BackendAttempt, type BackendName,
} from '../model/backend.js';
import {databasePath, isServerUrl} from '../store/paths.js';
import type {ServerReport} from '../store/postgres.js';
import {installedDefaultVectors, locateTable, packageTablePath} from '../model/default-vectors.js';
import {modelFile, readModelJson, resolveModelFolder} from '../model/folder.js';
import {isVectorTable, readVectorTable} from '../model/vector-table.js';
import type {VectorTableRef} from '../model/vectors.js';
import {UserError} from '../errors.js';

const require = createRequire(import.meta.url);

/** The tfjs packages, fastest first, as the model loads them. */
export const backendPackages = backendNames.map(backend => ({backend, package: backendPackage[backend]}));

export type DoctorReport = {
	node: string;
	platform: string;
	cpus: number;
	memoryGiB: number;
	database: {path: string; exists: boolean; bytes: number; journalBytes: number} | {server: ServerReport};
	packages: Array<{backend: BackendName; package: string; installed: boolean; version?: string}>;
	/** What this machine's WebAssembly offers (SIMD, SharedArrayBuffer), whichever backend loaded; `backend.simd` says what tfjs uses. */
	wasm: {simd: boolean; threads: boolean};
	/** The version of `@tensorflow/tfjs`. */
	tfjs: string;
	backend: {
		/** The backend that loaded. */
		name: BackendName;
		/** Each backend tried, fastest first, with the reason it did not load. */
		attempts: BackendAttempt[];
		/** Only when wasm loaded: whether tfjs uses SIMD and threads. */
		simd?: boolean;
		threads?: boolean;
	};
	/** The default word vectors for `train ... blank`: the package, if installed, and whether its table is built; or what INKLING_VECTORS names. */
	vectors: {package?: string; table?: string; built: boolean; fromEnvironment: boolean};
	/** With a model folder: which word vectors it uses, and where this machine has them (or why it cannot load them). */
	model?: {folder: string; vectors?: VectorTableRef; found?: string; problem?: string};
	/** A rough speed check: a `[size, size]` by `[size, size]` matMul, `runs` times, after one warm-up. */
	matMul: {size: number; runs: number; msPerOp: number};
};

function installedVersion(name: string): string | undefined {
	try {
		const file = require.resolve(`${name}/package.json`);
		return (JSON.parse(fs.readFileSync(file, 'utf8')) as {version: string}).version;
	} catch {
		return undefined;
	}
}

function fileSize(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

// The smallest module that uses a SIMD instruction (i8x16.splat then drop), as tfjs-backend-wasm probes for it: a
// code section of 9 bytes holding one 7-byte body.
const simdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);

// Typed here: Node's types leave WebAssembly to the DOM library.
const webAssembly = (globalThis as unknown as {WebAssembly: {validate(bytes: Uint8Array): boolean}}).WebAssembly;

/** Milliseconds per `matMul` of two random `[size, size]` matrices on the loaded backend, waiting for each result. */
async function timeMatMul(size: number, runs: number): Promise<number> {
	const a = tf.randomUniform([size, size], -1, 1, 'float32', 1); // [size, size]
	const b = tf.randomUniform([size, size], -1, 1, 'float32', 2); // [size, size]
	try {
		const warmUp = tf.matMul(a, b);
		await warmUp.data();
		warmUp.dispose();
		const start = performance.now();
		for (let run = 0; run < runs; run++) {
			const product = tf.matMul(a, b); // [size, size]
			// eslint-disable-next-line no-await-in-loop -- timed one after another: each waits for its result, as a GPU needs
			await product.data();
			product.dispose();
		}

		return (performance.now() - start) / runs;
	} finally {
		tf.dispose([a, b]);
	}
}

/**
 * What this machine offers inkling: Node, the database, which tfjs packages are installed, wasm features, and which
 * backend loads (only `backend`, if given), with why the faster ones did not, and how fast it multiplies matrices.
 */
/** A server's report, with the PostgreSQL client loaded only when asked about a server. */
async function probeServer(url: string): Promise<ServerReport> {
	const postgres = await import('../store/postgres.js');
	return postgres.probeServer(url);
}

export async function doctor(options: {database?: string; backend?: BackendName; model?: string} = {}): Promise<DoctorReport> {
	// The model first: a folder that cannot be read is one line before any work.
	const model = options.model === undefined ? undefined : modelVectorsReport(options.model);
	const file = databasePath(options.database);
	const loaded = await loadBackend(options.backend === undefined ? {} : {prefer: options.backend});
	const {simd, threads} = backendInfo();
	const size = 256;
	const runs = 20;
	const msPerOp = await timeMatMul(size, runs);
	return {
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		cpus: os.availableParallelism(),
		memoryGiB: Math.round(os.totalmem() / (1024 ** 3)),
		database: isServerUrl(file)
			? {server: await probeServer(file)}
			: {
				path: file, exists: fs.existsSync(file) || fs.existsSync(`${file}.journal`), bytes: fileSize(file), journalBytes: fileSize(`${file}.journal`),
			},
		packages: backendPackages.map(item => {
			const version = installedVersion(item.package);
			return {...item, installed: version !== undefined, ...(version ? {version} : {})};
		}),
		wasm: {simd: webAssembly.validate(simdProbe), threads: typeof SharedArrayBuffer === 'function'},
		tfjs: tf.version.tfjs,
		backend: {
			name: loaded.backend, attempts: loaded.attempts, ...(simd === undefined ? {} : {simd}), ...(threads === undefined ? {} : {threads}),
		},
		vectors: defaultVectorsReport(),
		...(model ? {model} : {}),
		matMul: {size, runs, msPerOp: Math.round(msPerOp * 1000) / 1000},
	};
}

/** Which vectors a model folder names, and whether this machine has that table (read, so a different table at its path is caught). */
function modelVectorsReport(model: string): NonNullable<DoctorReport['model']> {
	const folder = resolveModelFolder(model);
	const manifest = readModelJson(path.join(folder, modelFile)) as {config?: {vectorWidth?: number}; vectors?: VectorTableRef};
	if (!manifest.config?.vectorWidth) {
		return {folder};
	}

	if (!manifest.vectors) {
		return {folder, found: path.join(folder, 'vectors.bin')};
	}

	try {
		const found = locateTable(manifest.vectors, folder);
		readVectorTable(found, manifest.vectors, folder);
		return {folder, vectors: manifest.vectors, found};
	} catch (error) {
		if (error instanceof UserError) {
			return {folder, vectors: manifest.vectors, problem: error.message};
		}

		throw error;
	}
}

function defaultVectorsReport(): DoctorReport['vectors'] {
	const chosen = process.env.INKLING_VECTORS;
	if (chosen) {
		return chosen === 'none' ? {built: false, fromEnvironment: true} : {table: chosen, built: isVectorTable(chosen), fromEnvironment: true};
	}

	const installed = installedDefaultVectors();
	if (!installed) {
		return {built: false, fromEnvironment: false};
	}

	const table = packageTablePath(installed.name);
	return {
		package: installed.name, table, built: isVectorTable(table), fromEnvironment: false,
	};
}
