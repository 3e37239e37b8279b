import type {CommandModule} from 'yargs';
import {doctor as diagnose} from '../recipes/doctor.js';
import type {GlobalArgs} from './shared.js';

type Args = GlobalArgs & {json: boolean};

export const doctor: CommandModule<GlobalArgs, Args> = {
	command: 'doctor',
	describe: 'Show the machine, the database, and which TensorFlow.js backends can load',
	builder: yargs => yargs
		.option('json', {type: 'boolean', default: false, describe: 'Print JSON'})
		.example('$0 doctor', 'Check the set-up'),
	handler(argv) {
		const report = diagnose(argv.db);
		if (argv.json) {
			console.log(JSON.stringify(report, null, 2));
			return;
		}

		console.log([
			`Node        ${report.node} (${report.platform}, ${report.cpus} cores, ${report.memoryGiB} GiB)`,
			`Database    ${report.database.path} (${report.database.exists ? `${report.database.bytes} bytes, journal ${report.database.journalBytes} bytes` : 'not created yet'})`,
			'Backends (fastest first):',
			...report.packages.map(item => `  ${item.backend.padEnd(5)} ${item.package}: ${item.installed ? `installed ${item.version!}` : 'not installed'}`),
			`wasm        SIMD ${report.wasm.simd ? 'yes' : 'no'}, threads ${report.wasm.threads ? 'yes' : 'no'}`,
			'Loading each backend and reporting why one failed comes with the model (issue #3).',
		].join('\n'));
	},
};
