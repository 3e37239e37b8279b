import path from 'node:path';
import process from 'node:process';
import {execFile} from 'node:child_process';
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import {
	backendInfo, explainLoadError, loadBackend, type BackendName,
} from '../../source/model/backend.js';
import {fixedMatrix, productShape, type LoadOutput} from '../_helpers/load-backend.js';
import {nodeBackendInstalled} from '../_helpers/installed.js';

// What these tests check of the default order assumes tfjs-node(-gpu) is not installed, as on every
// machine without libtensorflow; with one installed (a GPU server) they do not apply, and one test checks it loads.
const withoutNodeBackend = nodeBackendInstalled ? test.skip : test;

// These tests are about the default order, whatever the shell running them asks for.
delete process.env.INKLING_BACKEND;

const helper = path.resolve(import.meta.dirname, '../_helpers/load-backend.ts');
const cpuBanner = 'looks like you are running TensorFlow.js in Node.js';

type Run = {code: number; output: LoadOutput; stderr: string};

/** Load a backend in a child process (loading is once per process) and wait for it to end. */
async function loadInChild(prefer?: BackendName, environment: Record<string, string> = {}): Promise<Run> {
	const {INKLING_BACKEND: _, ...inherited} = process.env;
	return new Promise((resolve, reject) => {
		execFile(process.execPath, ['--import=tsx', helper, ...(prefer ? [prefer] : [])], {env: {...inherited, ...environment}}, (error, stdout, stderr) => {
			const line = stdout.trim().split('\n').at(-1);
			if (!line) {
				reject(new Error(`no output from the helper: ${stderr}`));
				return;
			}

			resolve({code: error ? Number(error.code ?? 1) : 0, output: JSON.parse(line) as LoadOutput, stderr});
		});
	});
}

const notInstalled = (name: string) => new RegExp(String.raw`^package ${name} is not installed \(its install script downloads libtensorflow, which failed or was skipped\)$`);

withoutNodeBackend('without the node packages the default load ends on wasm, saying why gpu and node did not load', async t => {
	const result = await loadBackend();
	t.is(result.backend, 'wasm');
	t.deepEqual(result.attempts.map(item => [item.backend, item.loaded]), [['gpu', false], ['node', false], ['wasm', true]]);
	t.regex(result.attempts[0]!.reason!, notInstalled('@tensorflow/tfjs-node-gpu'));
	t.regex(result.attempts[1]!.reason!, notInstalled('@tensorflow/tfjs-node'));
	t.is(result.attempts[2]!.reason, undefined);
	t.is(tf.getBackend(), 'wasm');
});

withoutNodeBackend('backendInfo says wasm runs with SIMD and without threads, as tfjs does in Node', async t => {
	await loadBackend();
	const info = backendInfo();
	t.is(info.backend, 'wasm');
	t.true(info.simd);
	t.false(info.threads);
	t.is(info.attempts.length, 3);
});

withoutNodeBackend('loading again returns the same result, also when asking for the backend that loaded', async t => {
	const first = await loadBackend();
	t.is(await loadBackend(), first);
	t.is(await loadBackend({prefer: 'wasm'}), first);
});

test('asking for another backend once one is loaded throws instead of switching', async t => {
	await loadBackend();
	await t.throwsAsync(loadBackend({prefer: 'cpu'}), {message: /^The wasm backend is already loaded in this process, so it cannot switch to cpu/});
	t.is(tf.getBackend(), 'wasm');
});

test('a missing package, binding or CUDA library is named, with what to do', t => {
	const esm = Object.assign(new Error('Cannot find package \'@tensorflow/tfjs-node\' imported from /app/source/model/backend.ts'), {code: 'ERR_MODULE_NOT_FOUND'});
	t.is(explainLoadError('@tensorflow/tfjs-node', esm), 'package @tensorflow/tfjs-node is not installed (its install script downloads libtensorflow, which failed or was skipped)');

	const cjs = Object.assign(new Error('Cannot find module \'@tensorflow/tfjs-backend-wasm\'\nRequire stack:\n- /app/x.js'), {code: 'MODULE_NOT_FOUND'});
	t.is(explainLoadError('@tensorflow/tfjs-backend-wasm', cjs), 'package @tensorflow/tfjs-backend-wasm is not installed (run npm install)');

	const binding = new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command \'npm rebuild @tensorflow/tfjs-node --build-addon-from-source\' to rebuild the native addon module.');
	t.is(explainLoadError('@tensorflow/tfjs-node', binding), 'binding missing: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node (run npm rebuild @tensorflow/tfjs-node)');

	const cuda = Object.assign(new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'), {code: 'ERR_DLOPEN_FAILED'});
	t.is(explainLoadError('@tensorflow/tfjs-node-gpu', cuda), 'CUDA library missing: libcudart.so.11.0: cannot open shared object file: No such file or directory (tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8 on the library path)');
	t.regex(explainLoadError('@tensorflow/tfjs-node-gpu', new Error('libcudnn.so.8: cannot open shared object file')), /^CUDA library missing: libcudnn\.so\.8/);

	const libtensorflow = new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
	t.regex(explainLoadError('@tensorflow/tfjs-node', libtensorflow), /^libtensorflow missing: libtensorflow\.so\.2: cannot open shared object file.*npm rebuild @tensorflow\/tfjs-node with internet\)$/);
});

test('a missing dependency of a backend package, or any other error, is its first line, not "not installed"', t => {
	const dependency = Object.assign(new Error('Cannot find module \'@mapbox/node-pre-gyp\'\nRequire stack:\n- /app/node_modules/@tensorflow/tfjs-node/dist/index.js'), {code: 'MODULE_NOT_FOUND'});
	t.is(explainLoadError('@tensorflow/tfjs-node', dependency), 'Cannot find module \'@mapbox/node-pre-gyp\'');
	t.is(explainLoadError('@tensorflow/tfjs-node', new Error('Something odd\nat line 2')), 'Something odd');
	t.is(explainLoadError('@tensorflow/tfjs-node', 'a string'), 'a string');
});

test('--backend cpu loads only cpu, without tfjs\'s "install the node backend" banner', async t => {
	const {code, output, stderr} = await loadInChild('cpu');
	t.is(code, 0, stderr);
	t.true(output.ok);
	t.is(output.result!.backend, 'cpu');
	t.deepEqual(output.result!.attempts, [{backend: 'cpu', loaded: true}]);
	t.is(output.tfBackend, 'cpu');
	t.is(output.info.backend, 'cpu');
	t.is(output.info.simd, undefined);
	t.false(stderr.includes(cpuBanner), stderr);
});

withoutNodeBackend('--backend gpu fails with a UserError naming the backend, the reason and what to do', async t => {
	const {output} = await loadInChild('gpu');
	t.false(output.ok);
	t.is(output.error!.name, 'UserError');
	t.regex(output.error!.message, /^--backend gpu: package @tensorflow\/tfjs-node-gpu is not installed \(its install script downloads libtensorflow, which failed or was skipped\); use --backend wasm, or install @tensorflow\/tfjs-node-gpu on a machine with internet and CUDA/);
	t.false(output.error!.message.includes('\n'));
	t.is(output.info.backend, undefined);
	t.deepEqual(output.info.attempts.map(item => [item.backend, item.loaded]), [['gpu', false]]);
});

test('INKLING_BACKEND chooses the backend when none is asked for, and a wrong value is a UserError', async t => {
	const [cpu, wrong] = await Promise.all([loadInChild(undefined, {INKLING_BACKEND: 'cpu'}), loadInChild(undefined, {INKLING_BACKEND: 'tpu'})]);
	t.is(cpu.output.result?.backend, 'cpu');
	t.deepEqual(cpu.output.result?.attempts.map(item => item.backend), ['cpu']);
	t.false(wrong.output.ok);
	t.is(wrong.output.error!.name, 'UserError');
	t.is(wrong.output.error!.message, 'INKLING_BACKEND=tpu is not a backend: use one of gpu, node, wasm, cpu, or unset it.');
});

withoutNodeBackend('when wasm cannot read its .wasm file the load fails with a reason, the wasm module names the file, and the default load goes on to cpu', async t => {
	const backend = path.resolve(import.meta.dirname, '../../source/model/backend.ts');
	const script = `
		import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
		import {loadBackend} from ${JSON.stringify(backend)};
		setWasmPaths('/nonexistent/');
		const preferred = await loadBackend({prefer: 'wasm'}).catch(error => error.message);
		const fallback = await loadBackend();
		console.log(JSON.stringify({preferred, fallback}));
	`;
	const {INKLING_BACKEND: _, ...environment} = process.env;
	const {stdout, stderr} = await new Promise<{stdout: string; stderr: string}>((resolve, reject) => {
		execFile(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {env: environment, cwd: path.resolve(import.meta.dirname, '../..')}, (error, stdout, stderr) => {
			if (error) {
				reject(new Error(`the script failed: ${stderr}`));
				return;
			}

			resolve({stdout, stderr});
		});
	});
	const {preferred, fallback} = JSON.parse(stdout) as {preferred: string; fallback: {backend: string; attempts: Array<{backend: string; reason?: string}>}};
	t.regex(preferred, /^--backend wasm: tf\.setBackend\('wasm'\) failed: Make sure the server can serve the `\.wasm` file.*; use --backend cpu/);
	t.is(fallback.backend, 'cpu');
	t.deepEqual(fallback.attempts.map(item => item.backend), ['gpu', 'node', 'wasm', 'cpu']);
	t.regex(fallback.attempts[2]!.reason!, /\.wasm/);
	// The wasm module itself prints which file it could not read (its own console lines, which inkling leaves
	// alone); tfjs's own warnings about the failure go into the reason, and no stack trace reaches the terminal.
	t.regex(stderr, /ENOENT.*\/nonexistent\/tfjs-backend-wasm[\w-]*\.wasm/);
	t.notRegex(stderr, /Initialization of backend|\n\s+at /);
});

test('wasm and cpu multiply the same matrices to within 1e-5 of each other and of float64', async t => {
	const [wasm, cpu] = await Promise.all([loadInChild('wasm'), loadInChild('cpu')]);
	t.is(wasm.output.tfBackend, 'wasm');
	t.is(cpu.output.tfBackend, 'cpu');
	const {rows, inner, columns} = productShape;
	const a = fixedMatrix(rows, inner, 1);
	const b = fixedMatrix(inner, columns, 2);
	t.is(wasm.output.product!.length, rows);
	let largest = 0;
	for (let row = 0; row < rows; row++) {
		t.is(wasm.output.product![row]!.length, columns);
		for (let column = 0; column < columns; column++) {
			let exact = 0;
			for (let k = 0; k < inner; k++) {
				exact += a[row]![k]! * b[k]![column]!;
			}

			const onWasm = wasm.output.product![row]![column]!;
			const onCpu = cpu.output.product![row]![column]!;
			largest = Math.max(largest, Math.abs(onWasm - onCpu), Math.abs(onWasm - exact), Math.abs(onCpu - exact));
		}
	}

	t.true(largest < 1e-5, `largest difference ${largest}`);
});

(nodeBackendInstalled ? test : test.skip)('with tfjs-node or tfjs-node-gpu installed, the default load takes one of them', async t => {
	const result = await loadBackend();
	t.true(result.backend === 'gpu' || result.backend === 'node', result.backend);
	t.true(result.attempts.at(-1)!.loaded);
});
