// Load a backend in a fresh process, since loading is once per process, and print one JSON line: what loadBackend
// returned or threw, backendInfo(), and a fixed matMul computed on it.
// Usage: node --import=tsx test/_helpers/load-backend.ts [gpu|node|wasm|cpu]
import process from 'node:process';
import * as tf from '@tensorflow/tfjs';
import {backendInfo, loadBackend, type BackendName} from '../../source/model/backend.js';

/** Odd sizes, so that blocked and SIMD kernels also take their remainder paths. */
export const productShape = {rows: 17, inner: 33, columns: 9} as const;

/** Deterministic, unround values: `[rows, columns]`, row-major. */
export function fixedMatrix(rows: number, columns: number, seed: number): number[][] {
	return Array.from({length: rows}, (_, row) => Array.from({length: columns}, (_, column) => Math.sin((seed * 1000) + (row * columns) + column) * 2));
}

export type LoadOutput = {
	ok: boolean;
	result?: {backend: BackendName; attempts: Array<{backend: BackendName; loaded: boolean; reason?: string}>};
	error?: {name: string; message: string};
	info: ReturnType<typeof backendInfo>;
	tfBackend?: string;
	product?: number[][];
};

async function main(prefer: BackendName | undefined): Promise<LoadOutput> {
	try {
		const result = await loadBackend(prefer === undefined ? {} : {prefer});
		const {rows, inner, columns} = productShape;
		const product = tf.tidy(() => tf.matMul(tf.tensor2d(fixedMatrix(rows, inner, 1)), tf.tensor2d(fixedMatrix(inner, columns, 2)))); // [rows, columns]
		const values = await product.array() as number[][];
		product.dispose();
		return {
			ok: true, result, info: backendInfo(), tfBackend: tf.getBackend(), product: values,
		};
	} catch (error) {
		const {name, message} = error as Error;
		return {ok: false, error: {name, message}, info: backendInfo()};
	}
}

if (process.argv[1] === import.meta.filename) {
	console.log(JSON.stringify(await main(process.argv[2] as BackendName | undefined)));
}
