// The CLI's TypeScript, compiled once to plain JavaScript and kept until a
// source file changes. Node loads the compiled files directly, without tsx's
// loader: each module tsx loads is a round trip to its loader thread, and the
// 60 or so modules of `teach` cost about 0.45 s of its start (first question
// at about 0.95 s instead of 1.4 s on a 2-core machine).
//
// The compiled tree is `node_modules/.cache/inkling/<key>/` (or in the
// user's cache folder, see `compiledRoot`), with the checkout's layout
// (`cli.js`, `source/...`), keyed by every source file's path, size and
// modification time. It is compiled by esbuild (file by file, no bundling:
// relative URLs such as a worker's entry stay valid) into a temporary folder
// that is then renamed into place, so processes starting together never see
// half a tree. When anything fails (no esbuild, no folder to write), or with
// INKLING_NO_COMPILE=1, the CLI runs through tsx as before: this is only a
// faster way to the same code.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {createRequire} from 'node:module';

/**
 * Compiled trees made longer ago than this are removed when a new one is made
 * (a process started from one loaded its modules when it started).
 */
const keepMs = 24 * 60 * 60 * 1000;

/** The checkout's source files: `cli.tsx` and everything under `source/`. */
function sourceFiles(root) {
	const files = ['cli.tsx'];
	for (const entry of fs.readdirSync(path.join(root, 'source'), {recursive: true, withFileTypes: true})) {
		if (entry.isFile() && /\.(?:tsx?|js)$/u.test(entry.name) && !entry.name.endsWith('.d.ts')) {
			const folder = entry.parentPath ?? entry.path;
			files.push(path.relative(root, path.join(folder, entry.name)));
		}
	}

	return files.sort();
}

/** A name for this state of the sources: changes when a file is added, removed or written. */
function sourceKey(root, files) {
	const hash = crypto.createHash('sha256');
	for (const file of files) {
		const stat = fs.statSync(path.join(root, file));
		hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
	}

	return hash.digest('hex').slice(0, 16);
}

function removeOldTrees(cache, keep) {
	for (const name of fs.readdirSync(cache)) {
		if (name === keep) {
			continue;
		}

		const folder = path.join(cache, name);
		try {
			if (Date.now() - fs.statSync(folder).mtimeMs > keepMs) {
				fs.rmSync(folder, {recursive: true, force: true});
			}
		} catch {
			// Another process removed it first.
		}
	}
}

/**
 * The tree for `key` in `cache`, compiled now if it is not there; throws when
 * it cannot be made. With `modules`, the tree links to that node_modules
 * folder (a cache outside the checkout finds the packages through it).
 */
function treeIn(cache, key, root, files, modules) {
	const tree = path.join(cache, key);
	if (fs.existsSync(path.join(tree, 'cli.js'))) {
		return tree;
	}

	fs.mkdirSync(cache, {recursive: true});
	const temporary = fs.mkdtempSync(path.join(cache, `.${key}-`));
	try {
		const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
		esbuild.buildSync({
			entryPoints: files.map(file => path.join(root, file)),
			outdir: temporary,
			outbase: root,
			format: 'esm',
			platform: 'node',
			target: 'node20',
			jsx: 'automatic',
			logLevel: 'silent',
		});
		// Outside a package's node_modules, Node reads `.js` as ES modules only with this.
		fs.writeFileSync(path.join(temporary, 'package.json'), '{"type": "module"}\n');
		if (modules) {
			fs.symlinkSync(modules, path.join(temporary, 'node_modules'), 'junction');
		}

		fs.renameSync(temporary, tree);
	} catch (error) {
		fs.rmSync(temporary, {recursive: true, force: true});
		// Another process put the same tree in place first.
		if (!fs.existsSync(path.join(tree, 'cli.js'))) {
			throw error;
		}
	}

	removeOldTrees(cache, key);
	return tree;
}

/**
 * The compiled tree's root URL for the checkout at `rootUrl` (compiled now if
 * the sources changed), or undefined when the CLI should run through tsx.
 * The tree goes in the checkout's `node_modules/.cache/inkling`, or, when
 * that cannot be written (an install owned by another user), in the user's
 * cache folder (`$XDG_CACHE_HOME` or `~/.cache`, then `inkling/compiled`).
 */
export function compiledRoot(rootUrl) {
	if (process.env.INKLING_NO_COMPILE === '1') {
		return undefined;
	}

	try {
		const root = fileURLToPath(rootUrl);
		const files = sourceFiles(root);
		const key = sourceKey(root, files);
		const modules = path.join(root, 'node_modules');
		try {
			return pathToFileURL(`${treeIn(path.join(modules, '.cache', 'inkling'), key, root, files)}${path.sep}`);
		} catch {
			const user = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
			// One folder a checkout: the key names the sources' state, not where they are.
			const checkout = crypto.createHash('sha256').update(root).digest('hex').slice(0, 12);
			const tree = treeIn(path.join(user, 'inkling', 'compiled', checkout), key, root, files, fs.existsSync(modules) ? modules : undefined);
			return pathToFileURL(`${tree}${path.sep}`);
		}
	} catch {
		return undefined;
	}
}
