// Whether dist/ holds the sources as they are now: for the tests and
// benchmarks, which run the built command, so that a stale build fails loudly
// instead of testing old code.
import fs from 'node:fs';
import path from 'node:path';

/** The sources `npm run build` compiles: `cli.tsx` and the TypeScript and JavaScript under `source/`. */
export function sourceFiles(root) {
	const files = ['cli.tsx'];
	for (const entry of fs.readdirSync(path.join(root, 'source'), {recursive: true, withFileTypes: true})) {
		if (entry.isFile() && /\.(?:tsx?|js)$/u.test(entry.name) && !entry.name.endsWith('.d.ts')) {
			files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
		}
	}

	return files.sort();
}

/** Why dist/ is out of date (a source newer than its build, or one not built), or undefined when it is not. */
export function distStale(root) {
	for (const file of sourceFiles(root)) {
		const built = path.join(root, 'dist', file.replace(/\.tsx?$/u, '.js'));
		let builtAt;
		try {
			builtAt = fs.statSync(built).mtimeMs;
		} catch {
			return `${file} is not built`;
		}

		if (fs.statSync(path.join(root, file)).mtimeMs > builtAt) {
			return `${file} changed since it was built`;
		}
	}

	return undefined;
}
