// `npm run build`: the TypeScript of `cli.tsx` and `source/` compiled file by
// file (no bundling, so relative URLs such as a worker's entry stay valid)
// into `dist/`, with the checkout's layout (`dist/cli.js`,
// `dist/source/...`). The package's `inkling` command runs from there, with
// neither tsx nor esbuild. Written beside `dist/` and renamed into place, so
// a command started meanwhile never sees half a tree. Types are checked by
// `npm run typecheck`, not here.
// Usage: node scripts/build.mjs [--check | --if-stale]
//   --check: say whether dist/ is older than the sources (exit 1 if so);
//   --if-stale: build only then, quietly otherwise (npm start, the benchmarks).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import esbuild from 'esbuild';
import {distStale, sourceFiles} from './dist-stale.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

if (process.argv.includes('--check')) {
	const stale = distStale(root);
	if (stale) {
		console.error(`dist/ is out of date (${stale}): run \`npm run build\`.`);
		process.exit(1);
	}

	process.exit(0);
}

if (process.argv.includes('--if-stale') && !distStale(root)) {
	process.exit(0);
}

const started = performance.now();
const files = sourceFiles(root);
const temporary = fs.mkdtempSync(path.join(root, '.dist-'));
try {
	esbuild.buildSync({
		entryPoints: files.map(file => path.join(root, file)),
		outdir: temporary,
		outbase: root,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		jsx: 'automatic',
		logLevel: 'warning',
	});
	fs.rmSync(dist, {recursive: true, force: true});
	fs.renameSync(temporary, dist);
} catch (error) {
	fs.rmSync(temporary, {recursive: true, force: true});
	throw error;
}

console.log(`built ${files.length} files into dist/ in ${((performance.now() - started) / 1000).toFixed(2)} s`);
