import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {readUserFile, UserError} from '../errors.js';
import {EmbeddingTable} from './embedding.js';
import {decodeFloat16, encodeFloat16} from './float16.js';
import {featureNames, type FeatureName} from './features.js';
import {charTableName, SpanNetwork, type NetworkConfig} from './network.js';
import {locateTable} from './default-vectors.js';
import {readVectorTable} from './vector-table.js';
import {WordVectors, type VectorTableRef} from './vectors.js';
import {modelFile, readModelJson, resolveModelFolder} from './folder.js';

export {resolveModelFolder} from './folder.js';

/** What `model.json` holds besides the weights' manifest. */
export type ModelMeta = {
	/** The backend the model was trained on. */
	backend?: string;
	created?: string;
	/** Training settings and data, for the record. */
	training?: Record<string, unknown>;
	/** Scores on the evaluation set, if any. */
	scores?: Record<string, unknown>;
};

type Manifest = ModelMeta & {
	inkling_model: 1;
	config: NetworkConfig;
	/** How `weights.bin` stores each value; float32 when absent. */
	dtype?: 'float32' | 'float16';
	weights: Array<{name: string; shape: number[]; offset: number; length: number}>;
	/** The vector table the model reads its word vectors from (models saved before tables hold theirs in `vectors.bin`). */
	vectors?: VectorTableRef;
};

const weightsFile = 'weights.bin';
const vectorsFile = 'vectors.bin';
const vectorWordsFile = 'vectors.json';

/**
 * Save a network, its config and metadata to a folder; extra JSON files
 * (history, evaluation) beside them. With `float16`, the weights are stored
 * at half precision (half the size; probabilities move by about 1e-3), as
 * for the model shipped in `models/`.
 */
export function saveModel(folder: string, network: SpanNetwork, meta: ModelMeta = {}, extra: Record<string, unknown> = {}, options: {float16?: boolean} = {}): void {
	fs.mkdirSync(folder, {recursive: true});
	const weights = network.weights();
	const manifest: Manifest = {
		inkling_model: 1, config: network.config, ...meta, ...(options.float16 ? {dtype: 'float16'} : {}), weights: [],
	};
	let offset = 0;
	for (const weight of weights) {
		manifest.weights.push({
			name: weight.name, shape: weight.shape, offset, length: weight.values.length,
		});
		offset += weight.values.length;
	}

	const bytesPerValue = options.float16 ? 2 : 4;
	const buffer = Buffer.alloc(offset * bytesPerValue);
	for (const [index, weight] of weights.entries()) {
		const start = buffer.byteOffset + (manifest.weights[index]!.offset * bytesPerValue);
		if (options.float16) {
			new Uint16Array(buffer.buffer, start, weight.values.length).set(encodeFloat16(weight.values));
		} else {
			new Float32Array(buffer.buffer, start, weight.values.length).set(weight.values);
		}
	}

	// Weights first, then the manifest that points at them: a folder with a model.json is complete.
	fs.writeFileSync(path.join(folder, weightsFile), buffer);
	if (network.vectors?.ref) {
		// Named, not copied: a table is shared by every model built on it.
		manifest.vectors = network.vectors.ref;
	} else if (network.vectors) {
		const values = network.vectors.float32();
		fs.writeFileSync(path.join(folder, vectorsFile), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
		fs.writeFileSync(path.join(folder, vectorWordsFile), JSON.stringify(network.vectors.words) + '\n');
	}

	for (const [name, value] of Object.entries(extra)) {
		fs.writeFileSync(path.join(folder, `${name}.json`), JSON.stringify(value, null, 2) + '\n');
	}

	fs.writeFileSync(path.join(folder, modelFile), JSON.stringify(manifest, null, 2) + '\n');
}

/** Load a model folder; a missing or damaged folder is a `UserError` naming the file. */
export function loadModel(folder: string): {network: SpanNetwork; meta: ModelMeta; folder: string} {
	if (!fs.existsSync(folder)) {
		throw new UserError(`${folder}: no such model folder. Give a folder written by \`inkling train -o\`, or "blank".`);
	}

	const resolved = resolveModelFolder(folder);
	const file = path.join(resolved, modelFile);
	const manifest = readModelJson(file) as Manifest;
	if (manifest?.inkling_model !== 1 || !Array.isArray(manifest.weights) || !Array.isArray(manifest.config?.labels)) {
		throw new UserError(`${file}: not an inkling model (no "inkling_model": 1, "config" and "weights").`);
	}

	const dtype = manifest.dtype ?? 'float32';
	if (dtype !== 'float32' && dtype !== 'float16') {
		throw new UserError(`${file}: "dtype" is ${JSON.stringify(dtype)}; this inkling reads float32 and float16 weights. Use a newer inkling, or train the model again.`);
	}

	const weightsPath = path.join(resolved, weightsFile);
	const bytes = readUserFile(weightsPath, 'missing. The model folder is incomplete: train or copy it again.');

	const bytesPerValue = dtype === 'float16' ? 2 : 4;
	const expected = manifest.weights.reduce((sum, weight) => sum + weight.length, 0) * bytesPerValue;
	if (bytes.length !== expected) {
		throw new UserError(`${weightsPath}: ${bytes.length} bytes where ${file} expects ${expected}: the folder is damaged, train or copy it again.`);
	}

	const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
	const values = dtype === 'float16' ? decodeFloat16(new Uint16Array(copy)) : new Float32Array(copy);
	const tables: Partial<Record<FeatureName, EmbeddingTable>> = {};
	const tensors: Record<string, tf.Tensor> = {};
	let chars: EmbeddingTable | undefined;
	for (const weight of manifest.weights) {
		const slice = values.slice(weight.offset, weight.offset + weight.length);
		const feature = weight.name.replace(/^embed_/u, '') as FeatureName;
		if (weight.name === charTableName) {
			chars = new EmbeddingTable(weight.shape[0]!, weight.shape[1]!, slice);
		} else if (weight.name.startsWith('embed_') && featureNames.includes(feature)) {
			tables[feature] = new EmbeddingTable(weight.shape[0]!, weight.shape[1]!, slice);
		} else {
			tensors[weight.name] = tf.tensor(slice, weight.shape);
		}
	}

	const missing = [...featureNames.filter(name => !tables[name]), ...(manifest.config.chars && !chars ? ['chars'] : [])];
	if (missing.length > 0) {
		tf.dispose(Object.values(tensors));
		throw new UserError(`${file}: the weights lack embed_${missing.join(', embed_')}: the folder is damaged.`);
	}

	const {
		weights: _weights, inkling_model: _version, dtype: _dtype, vectors: tableRef, config, ...meta
	} = manifest;
	let vectors: WordVectors | undefined;
	try {
		vectors = config.vectorWidth ? (tableRef ? sharedTable(tableRef, resolved) : readVectors(resolved, config.vectorWidth)) : undefined;
	} catch (error) {
		tf.dispose(Object.values(tensors));
		throw error;
	}

	return {network: SpanNetwork.fromTensors(config, tables as Record<FeatureName, EmbeddingTable>, tensors, vectors, chars), meta, folder: resolved};
}

const tables = new Map<string, WordVectors>();

/** A table read once per thread, however many models use it (eval --compare, a base and its retrained model). */
function sharedTable(ref: VectorTableRef, folder: string): WordVectors {
	const table = locateTable(ref, folder);
	const key = `${table}\u0000${ref.id}`;
	let vectors = tables.get(key);
	if (!vectors) {
		vectors = readVectorTable(table, ref, folder);
		tables.set(key, vectors);
	}

	return vectors;
}

/** Vectors copied into the folder, as models saved before vector tables hold them. */
function readVectors(folder: string, width: number): WordVectors {
	const words = readModelJson(path.join(folder, vectorWordsFile));
	const file = path.join(folder, vectorsFile);
	const bytes = readUserFile(file, 'missing. The model was trained with word vectors; train or copy the folder again.');

	if (!Array.isArray(words) || bytes.length !== words.length * width * 4) {
		throw new UserError(`${file}: ${bytes.length} bytes do not hold ${Array.isArray(words) ? words.length : '?'} vectors of width ${width}: the folder is damaged.`);
	}

	return new WordVectors(words as string[], width, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
}
