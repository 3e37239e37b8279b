import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {screenCommand, screenOf, screens} from '../source/screens.js';

test('a screen is found by its name and by each alias, with its worker; other commands are not screens', t => {
	t.deepEqual(screenOf('teach'), {name: 'teach', worker: 'recipes/teach/worker-entry.js'});
	t.deepEqual(screenOf('ner.make-gold'), {name: 'correct', worker: 'recipes/manual/worker-entry.js'});
	t.deepEqual(screenOf('terms.teach'), {name: 'terms'});
	t.is(screenOf('train'), undefined);
	t.is(screenOf('terms-to-patterns'), undefined);
	t.is(screenOf(undefined), undefined);
});

test('each screen\'s worker entry is where bin.js will start it', t => {
	const workers = Object.values(screens).flatMap(screen => ('worker' in screen ? [screen.worker] : []));
	t.is(workers.length, 4);
	for (const worker of workers) {
		t.true(fs.existsSync(fileURLToPath(new URL(`../source/${worker}`, import.meta.url))), worker);
	}
});

test('a screen command\'s yargs names are its usage and its aliases', t => {
	t.deepEqual(screenCommand('correct', '<dataset> <model> <source>'), ['correct <dataset> <model> <source>', 'ner.correct', 'ner.make-gold']);
});
