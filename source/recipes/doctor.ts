import fs from 'node:fs';
import os from 'node:os';
import {createRequire} from 'node:module';
import {databasePath} from '../store/paths.js';

const require = createRequire(import.meta.url);

/** The tfjs packages, fastest first, as the model loads them. */
export const backendPackages = [
	{backend: 'gpu', package: '@tensorflow/tfjs-node-gpu'},
	{backend: 'node', package: '@tensorflow/tfjs-node'},
	{backend: 'wasm', package: '@tensorflow/tfjs-backend-wasm'},
	{backend: 'cpu', package: '@tensorflow/tfjs'},
] as const;

export type DoctorReport = {
	node: string;
	platform: string;
	cpus: number;
	memoryGiB: number;
	database: {path: string; exists: boolean; bytes: number; journalBytes: number};
	packages: Array<{backend: string; package: string; installed: boolean; version?: string}>;
	wasm: {simd: boolean; threads: boolean};
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

// The smallest module that uses a SIMD instruction (i8x16.splat then drop).
const simdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 26, 11]);

// Typed here: Node's types leave WebAssembly to the DOM library.
const webAssembly = (globalThis as unknown as {WebAssembly: {validate(bytes: Uint8Array): boolean}}).WebAssembly;

/** What this machine offers inkling: Node, the database, which tfjs packages are installed, wasm features. */
export function doctor(databaseFlag?: string): DoctorReport {
	const file = databasePath(databaseFlag);
	return {
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		cpus: os.availableParallelism(),
		memoryGiB: Math.round(os.totalmem() / (1024 ** 3)),
		database: {
			path: file, exists: fs.existsSync(file) || fs.existsSync(`${file}.journal`), bytes: fileSize(file), journalBytes: fileSize(`${file}.journal`),
		},
		packages: backendPackages.map(item => {
			const version = installedVersion(item.package);
			return {...item, installed: version !== undefined, ...(version ? {version} : {})};
		}),
		wasm: {simd: webAssembly.validate(simdProbe), threads: typeof SharedArrayBuffer === 'function'},
	};
}
