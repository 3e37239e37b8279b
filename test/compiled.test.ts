import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import test from 'ava';
import {compiledRoot} from '../source/compiled.js';
import {loadWorkerModule} from '../source/worker-module.js';

const esbuildFolder = path.dirname(createRequire(import.meta.url).resolve('esbuild/package.json'));
// The user's cache folder, for checkouts whose node_modules cannot take the tree.
const userCache = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-user-cache-'));
process.env.XDG_CACHE_HOME = userCache;
test.after.always(() => {
	fs.rmSync(userCache, {recursive: true, force: true});
});

/** A checkout with cli.tsx, two source files, esbuild (linked) in its node_modules unless `withEsbuild` is false, and with `withPackage` a package that cli.tsx imports. */
function checkout(t: {teardown: (fn: () => void) => void}, withEsbuild = true, withPackage = false): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-compiled-'));
	t.teardown(() => {
		fs.rmSync(root, {recursive: true, force: true});
	});
	fs.mkdirSync(path.join(root, 'source', 'deep'), {recursive: true});
	fs.writeFileSync(path.join(root, 'package.json'), '{"type": "module"}\n');
	fs.writeFileSync(path.join(root, 'cli.tsx'), 'import {answer} from \'./source/deep/answer.js\';\nexport const value: number = answer();\n');
	if (withPackage) {
		fs.mkdirSync(path.join(root, 'node_modules', 'tiny'), {recursive: true});
		fs.writeFileSync(path.join(root, 'node_modules', 'tiny', 'package.json'), '{"name": "tiny", "type": "module", "main": "index.js"}\n');
		fs.writeFileSync(path.join(root, 'node_modules', 'tiny', 'index.js'), 'export const tiny = 5;\n');
		fs.appendFileSync(path.join(root, 'cli.tsx'), 'export {tiny} from \'tiny\';\n');
	}

	fs.writeFileSync(path.join(root, 'source', 'deep', 'answer.ts'), 'export function answer(): number {\n\treturn 41 + 1;\n}\n');
	fs.writeFileSync(path.join(root, 'source', 'plain.js'), 'export const plain = true;\n');
	if (withEsbuild) {
		fs.mkdirSync(path.join(root, 'node_modules'), {recursive: true});
		fs.symlinkSync(esbuildFolder, path.join(root, 'node_modules', 'esbuild'), 'dir');
	}

	return root;
}

test('the sources are compiled once into a tree of the same layout, which runs without tsx', async t => {
	const root = checkout(t);
	const tree = compiledRoot(pathToFileURL(`${root}/`));
	t.truthy(tree);
	const folder = fileURLToPath(tree!);
	t.true(folder.startsWith(path.join(root, 'node_modules', '.cache', 'inkling')));
	for (const file of ['cli.js', 'source/deep/answer.js', 'source/plain.js', 'package.json']) {
		t.true(fs.existsSync(path.join(folder, file)), file);
	}

	t.notRegex(fs.readFileSync(path.join(folder, 'cli.js'), 'utf8'), /: number/);
	const compiled = await import(new URL('cli.js', tree).href) as {value: number};
	t.is(compiled.value, 42);

	// Unchanged sources: the same tree, not compiled again.
	const written = fs.statSync(path.join(folder, 'cli.js')).mtimeMs;
	t.is(compiledRoot(pathToFileURL(`${root}/`))!.href, tree!.href);
	t.is(fs.statSync(path.join(folder, 'cli.js')).mtimeMs, written);
	// No temporary folder is left behind.
	t.deepEqual(fs.readdirSync(path.join(root, 'node_modules', '.cache', 'inkling')).filter(name => name.startsWith('.')), []);
});

test('a changed source file makes a new tree with the change', async t => {
	const root = checkout(t);
	const before = compiledRoot(pathToFileURL(`${root}/`))!;
	fs.writeFileSync(path.join(root, 'source', 'deep', 'answer.ts'), 'export function answer(): number {\n\treturn 7;\n}\n');
	const after = compiledRoot(pathToFileURL(`${root}/`))!;
	t.not(after.href, before.href);
	const compiled = await import(new URL('cli.js', after).href) as {value: number};
	t.is(compiled.value, 7);
});

test('without esbuild, or with INKLING_NO_COMPILE=1, the CLI runs through tsx (no tree)', t => {
	const bare = checkout(t, false);
	t.is(compiledRoot(pathToFileURL(`${bare}/`)), undefined);
	t.deepEqual(fs.readdirSync(path.join(bare, 'node_modules', '.cache', 'inkling')), []);

	const root = checkout(t);
	process.env.INKLING_NO_COMPILE = '1';
	try {
		t.is(compiledRoot(pathToFileURL(`${root}/`)), undefined);
	} finally {
		delete process.env.INKLING_NO_COMPILE;
	}

	t.false(fs.existsSync(path.join(root, 'node_modules', '.cache')));
});

test('when node_modules cannot take the tree, it goes in the user\'s cache folder and still finds the packages', async t => {
	const root = checkout(t, true, true);
	// A file where the cache folder would be: it cannot be made (as in an install owned by another user; root writes anywhere).
	fs.writeFileSync(path.join(root, 'node_modules', '.cache'), '');
	const tree = compiledRoot(pathToFileURL(`${root}/`));
	t.truthy(tree);
	t.true(fileURLToPath(tree!).startsWith(path.join(userCache, 'inkling', 'compiled')));
	const compiled = await import(new URL('cli.js', tree).href) as {value: number; tiny: number};
	t.is(compiled.value, 42);
	t.is(compiled.tiny, 5);
	t.is(compiledRoot(pathToFileURL(`${root}/`))!.href, tree!.href);
});

test('a worker entry loads its compiled worker.js when there is one, else worker.ts', async t => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'inkling-worker-module-'));
	t.teardown(() => {
		fs.rmSync(folder, {recursive: true, force: true});
	});
	const global = globalThis as {inklingLoaded?: string[]};
	global.inklingLoaded = [];
	fs.mkdirSync(path.join(folder, 'source'));
	fs.mkdirSync(path.join(folder, 'compiled'));
	fs.writeFileSync(path.join(folder, 'source', 'worker.ts'), 'const loaded: string[] = (globalThis as any).inklingLoaded;\nloaded.push(\'ts\');\n');
	fs.writeFileSync(path.join(folder, 'compiled', 'worker.js'), 'globalThis.inklingLoaded.push(\'js\');\n');
	fs.writeFileSync(path.join(folder, 'compiled', 'package.json'), '{"type": "module"}\n');
	await loadWorkerModule(pathToFileURL(path.join(folder, 'source', 'worker-entry.js')).href);
	await loadWorkerModule(pathToFileURL(path.join(folder, 'compiled', 'worker-entry.js')).href);
	t.deepEqual(global.inklingLoaded, ['ts', 'js']);
});
