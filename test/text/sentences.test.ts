import test from 'ava';
import {splitSentences, spansInSentence, spansToDocument} from '../../source/text/sentences.js';
import {readJsonl, hasSharedDatasets, sharedDataset} from '../_helpers/temp.js';

// Tests that read ../shared/datasets run where it is (or INKLING_DATASETS points at it).
const withDatasets = hasSharedDatasets() ? test : test.skip;

type Record = {text: string; spans: Array<{start: number; end: number; label: string}>};

test('sentences are split, but not after "Dr." or "St."', t => {
	const text = 'Dr. Smith went to St. Paul. He met Mr. J. Doe there! Did he? Yes.';
	t.deepEqual(splitSentences(text).map(sentence => sentence.text), ['Dr. Smith went to St. Paul.', 'He met Mr. J. Doe there!', 'Did he?', 'Yes.']);
});

test('a line break always ends a sentence, CRLF included, and offsets point into the document', t => {
	const text = 'Senior Software Engineer\r\nCloud Lending Solutions\n\n  Bengaluru, India  ';
	const sentences = splitSentences(text);
	t.deepEqual(sentences.map(sentence => sentence.text), ['Senior Software Engineer', 'Cloud Lending Solutions', 'Bengaluru, India']);
	for (const sentence of sentences) {
		t.is(text.slice(sentence.start, sentence.end), sentence.text);
	}
});

test('Chinese sentences split at their full stops', t => {
	const text = '我喜欢北京。你呢？我们明天去上海！';
	t.deepEqual(splitSentences(text).map(sentence => sentence.text), ['我喜欢北京。', '你呢？', '我们明天去上海！']);
});

test('a span that a split would cut keeps its sentences together', t => {
	const text = 'He works at Acme Inc. Ltd. in Leeds. She does not.';
	const span = {start: text.indexOf('Acme'), end: text.indexOf(' in Leeds'), label: 'ORG'};
	const sentences = splitSentences(text, [span]);
	const holding = sentences.find(sentence => sentence.start <= span.start && sentence.end >= span.end);
	t.truthy(holding, `no sentence holds the span: ${JSON.stringify(sentences)}`);
	const lines = splitSentences('Chief\nEngineer at Acme', [{start: 0, end: 14}]);
	t.deepEqual(lines.map(sentence => sentence.text), ['Chief\nEngineer at Acme']);
});

withDatasets('dotin CVs split into sentences and every gold span maps back to its document offsets (reads ../shared/datasets)', t => {
	const records = readJsonl<Record>(sharedDataset('dotin_resumes', 'test.jsonl'));
	let spans = 0;
	let sentenceCount = 0;
	for (const record of records) {
		const sentences = splitSentences(record.text, record.spans);
		sentenceCount += sentences.length;
		const back = sentences.flatMap(sentence => spansToDocument(sentence, spansInSentence(sentence, record.spans)));
		const key = (span: {start: number; end: number; label: string}) => `${span.start}:${span.end}:${span.label}`;
		t.deepEqual(back.map(span => key(span)).sort(), record.spans.map(span => key(span)).sort());
		for (const sentence of sentences) {
			t.is(record.text.slice(sentence.start, sentence.end), sentence.text);
			for (const span of spansInSentence(sentence, record.spans)) {
				t.is(sentence.text.slice(span.start, span.end), record.text.slice(span.start + sentence.start, span.end + sentence.start));
			}
		}

		spans += record.spans.length;
	}

	t.true(spans > 500);
	t.true(sentenceCount > records.length * 20, `only ${sentenceCount} sentences`);
});

test('a 1 MB single line splits into its sentences with exact offsets', t => {
	const text = 'The nurse works nights. '.repeat(42_000).trim();
	const sentences = splitSentences(text);
	t.is(sentences.length, 42_000);
	t.is(sentences[1]!.start, 24);
	t.true(sentences.every(sentence => text.slice(sentence.start, sentence.end) === sentence.text && sentence.text === 'The nurse works nights.'));
});
