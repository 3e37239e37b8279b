// How fast `terms` is with the default vectors: reading the table, building
// the candidates (the table's most frequent words; the words and phrases of a
// source), and the time from an answer to the next proposal (the ranker's
// update and pick, what a key waits for), over 300 answers alternating accept
// and reject. Usage: npm run bench:terms [-- --words 50000 --source data/job-ads.jsonl --answers 300]
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {quantile} from 'simple-statistics';
import {defaultVectorTable} from '../source/model/default-vectors.js';
import {termCandidates, type TermCandidates} from '../source/model/terms.js';
import {readVectorTable} from '../source/model/vector-table.js';
import {sourceTerms, tableTerms, TermsSession} from '../source/recipes/terms.js';

const {values: flags} = parseArgs({
	options: {
		words: {type: 'string', default: '50000'},
		source: {type: 'string', default: path.resolve(import.meta.dirname, '../data/job-ads.jsonl')},
		answers: {type: 'string', default: '300'},
		seeds: {type: 'string', default: 'nurse,manager,engineer'},
	},
});

const table = await defaultVectorTable();
if (!table) {
	console.error('The default vectors are not installed: npm install.');
	process.exit(1);
}

console.log(`inkling terms bench, ${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}`);
let started = performance.now();
const vectors = readVectorTable(table);
console.log(`table read in ${(performance.now() - started).toFixed(0)} ms (${vectors.count.toLocaleString('en')} words x ${vectors.width})`);

function run(name: string, candidates: TermCandidates, built: number): void {
	const session = new TermsSession({
		vectors, candidates, seeds: flags.seeds.split(','), answered: [],
	});
	const times: number[] = [];
	for (let index = 0; index < Number(flags.answers); index++) {
		const proposal = session.next();
		if (!proposal) {
			break;
		}

		const start = performance.now();
		session.answer(proposal, index % 2 === 0 ? 'accept' : 'reject');
		session.next();
		times.push(performance.now() - start);
	}

	console.log(`${name}: ${candidates.texts.length.toLocaleString('en')} candidates built in ${built.toFixed(0)} ms; answer to next proposal over ${times.length} answers: p50 ${quantile(times, 0.5).toFixed(2)} ms, p99 ${quantile(times, 0.99).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`);
}

started = performance.now();
const fromTable = termCandidates(vectors, tableTerms(vectors, Number(flags.words)));
run(`the table's ${flags.words} most frequent words`, fromTable, performance.now() - started);
started = performance.now();
const fromSource = termCandidates(vectors, sourceTerms(flags.source, vectors, {minCount: 2, limit: Number(flags.words)}));
run(`words and phrases of ${path.basename(flags.source)}`, fromSource, performance.now() - started);
