// Train one epoch on a few hundred CoNLL sentences and score them, on wasm and
// on cpu, each in its own process (a process loads one backend), and print the
// wasm/cpu speed ratio. Usage: npm run bench:backends [-- --sentences 300]
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		sentences: {type: 'string', default: '300'},
		backend: {type: 'string'},
	},
});

if (flags.backend) {
	// The child: measure one backend and print one JSON line.
	const {loadBackend} = await import('../source/model/backend.js');
	const {mergeAnswers, prepareInputs} = await import('../source/model/data.js');
	const {NerModel} = await import('../source/model/model.js');
	const {scoreSentences, trainNetwork} = await import('../source/model/train.js');
	await loadBackend({prefer: flags.backend as 'wasm' | 'cpu'});
	const file = path.resolve(import.meta.dirname, '../../shared/datasets/conll2003_en/train.jsonl');
	const tasks = fs.readFileSync(file, 'utf8').trim().split('\n').slice(0, Number(flags.sentences)).map(line => JSON.parse(line) as {text: string});
	const model = NerModel.blank(['LOC', 'MISC', 'ORG', 'PER']);
	const {sentences, report} = prepareInputs(mergeAnswers(tasks), model.network.config);
	let trainTokensPerSecond = 0;
	for await (const progress of trainNetwork(model.network, sentences, {epochs: 1})) {
		trainTokensPerSecond = progress.tokensPerSecond;
	}

	const started = performance.now();
	scoreSentences(model.network, sentences);
	const predictTokensPerSecond = report.tokens / ((performance.now() - started) / 1000);
	console.log(JSON.stringify({
		backend: flags.backend, tokens: report.tokens, trainTokensPerSecond, predictTokensPerSecond,
	}));
	model.dispose();
} else {
	const measure = (backend: string) => {
		const output = execFileSync(process.execPath, ['--import=tsx', import.meta.filename, '--backend', backend, '--sentences', flags.sentences], {encoding: 'utf8'});
		return JSON.parse(output.trim().split('\n').at(-1)!) as {tokens: number; trainTokensPerSecond: number; predictTokensPerSecond: number};
	};

	const wasm = measure('wasm');
	const cpu = measure('cpu');
	console.log(`${flags.sentences} sentences (${wasm.tokens} tokens), one epoch then scoring every candidate:`);
	console.log(`wasm: train ${Math.round(wasm.trainTokensPerSecond)} tokens/s, predict ${Math.round(wasm.predictTokensPerSecond)} tokens/s`);
	console.log(`cpu:  train ${Math.round(cpu.trainTokensPerSecond)} tokens/s, predict ${Math.round(cpu.predictTokensPerSecond)} tokens/s`);
	console.log(`wasm/cpu: train ${(wasm.trainTokensPerSecond / cpu.trainTokensPerSecond).toFixed(1)}x, predict ${(wasm.predictTokensPerSecond / cpu.predictTokensPerSecond).toFixed(1)}x`);
}
