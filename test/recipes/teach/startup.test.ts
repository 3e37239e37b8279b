import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';

const root = path.resolve(import.meta.dirname, '../../..');

/** The packages a source file loads before its code runs: its static imports (not `import type`), followed through the project's own files. */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
	const packages = new Set<string>();
	if (seen.has(file)) {
		return packages;
	}

	seen.add(file);
	const text = fs.readFileSync(file, 'utf8');
	for (const match of text.matchAll(/^import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?'([^']+)';/gmu)) {
		const specifier = match[1]!;
		if (specifier.startsWith('.')) {
			const base = path.resolve(path.dirname(file), specifier.replace(/\.js$/u, ''));
			const found = ['.ts', '.tsx', '.js'].map(extension => base + extension).find(candidate => fs.existsSync(candidate));
			if (found) {
				for (const name of staticPackages(found, seen)) {
					packages.add(name);
				}
			}
		} else {
			packages.add(specifier);
		}
	}

	return packages;
}

test('the walk finds what a screen\'s command loads', t => {
	const packages = staticPackages(path.join(root, 'source/commands/teach-screen.ts'));
	t.true(packages.has('ink'));
	t.true(packages.has('react'));
});

test('teach posts the model\'s thread its options before the screen\'s code loads: its command module does not load Ink, React or TensorFlow.js', t => {
	const packages = staticPackages(path.join(root, 'source/commands/teach.ts'));
	for (const heavy of ['ink', 'react', '@tensorflow/tfjs']) {
		t.false(packages.has(heavy), heavy);
	}

	// And the command does load the screen, after starting the session.
	const command = fs.readFileSync(path.join(root, 'source/commands/teach.ts'), 'utf8');
	t.true(command.indexOf('TeachSession.start(') < command.indexOf('import(\'./teach-screen.js\')'));
});
