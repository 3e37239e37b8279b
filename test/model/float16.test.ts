import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {loadBackend} from '../../source/model/backend.js';
import {
	decodeFloat16, encodeFloat16, fromFloat16, toFloat16,
} from '../../source/model/float16.js';
import {NerModel} from '../../source/model/model.js';
import {UserError} from '../../source/errors.js';
import {makeBatch} from '../../source/model/network.js';
import {mergeAnswers, prepareInputs} from '../../source/model/data.js';
import {trainNetwork} from '../../source/model/train.js';
import {temporaryFolder} from '../_helpers/temp.js';
import {tinyGold, tinyModel} from '../_helpers/model-data.js';

test.before(async () => {
	await loadBackend({prefer: 'wasm'});
});

test('float16 bits: known values, every float16 survives a round trip, and rounding goes to the nearest', t => {
	t.is(toFloat16(1), 0x3C_00);
	t.is(toFloat16(-2), 0xC0_00);
	t.is(toFloat16(65_504), 0x7B_FF);
	// Halfway between 65,504 and the next step rounds to even: infinity.
	t.is(toFloat16(65_520), 0x7C_00);
	t.is(toFloat16(1e9), 0x7C_00);
	t.is(toFloat16(2 ** -24), 0x00_01);
	t.is(toFloat16(1e-10), 0);
	t.is(fromFloat16(0x35_55), 0.333_251_953_125);
	t.true(Number.isNaN(fromFloat16(toFloat16(Number.NaN))));
	let failed = 0;
	for (let half = 0; half < 0x1_00_00; half++) {
		const value = fromFloat16(half);
		if (!Number.isNaN(value) && toFloat16(value) !== half) {
			failed++;
		}
	}

	t.is(failed, 0);
	// 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even one, 1.
	t.is(toFloat16(1 + (2 ** -11)), 0x3C_00);
	t.is(toFloat16(1 + (3 * (2 ** -11))), 0x3C_02);
	const values = Float32Array.from({length: 1000}, (_, index) => Math.sin(index) * 3);
	const decoded = decodeFloat16(encodeFloat16(values));
	for (const [index, value] of values.entries()) {
		t.true(Math.abs(decoded[index]! - value) <= Math.abs(value) * (2 ** -11), `${value} became ${decoded[index]!}`);
	}
});

test.serial('a model saved at float16 is half the size and predicts what the float32 model does, within 1e-2', async t => {
	const model = tinyModel();
	const {sentences} = prepareInputs(mergeAnswers(tinyGold()), model.network.config);
	for await (const _ of trainNetwork(model.network, sentences, {
		epochs: 5, learnRate: 0.01, dropout: 0, batchTokens: 200,
	})) {
		// Training runs as the generator is read.
	}

	const folder = temporaryFolder(t);
	model.save(path.join(folder, 'full'));
	model.save(path.join(folder, 'half'), {}, {}, {float16: true});
	const size = (name: string) => fs.statSync(path.join(folder, name, 'weights.bin')).size;
	t.is(size('half') * 2, size('full'));
	t.is((JSON.parse(fs.readFileSync(path.join(folder, 'half', 'model.json'), 'utf8')) as {dtype?: string}).dtype, 'float16');

	const half = NerModel.load(path.join(folder, 'half'));
	const batch = makeBatch(sentences, model.network.config);
	const expected = model.network.predict(batch);
	const actual = half.network.predict(batch);
	let largest = 0;
	for (const [index, value] of expected.entries()) {
		largest = Math.max(largest, Math.abs(value - actual[index]!));
	}

	t.true(largest < 1e-2, `largest difference ${largest}`);
	t.true(largest > 0, 'the float16 weights are not the float32 ones');
	const texts = tinyGold().slice(0, 20).map(task => task.text);
	t.deepEqual(half.predict(texts).map(spans => spans.map(span => [span.start, span.end, span.label])), model.predict(texts).map(spans => spans.map(span => [span.start, span.end, span.label])));
	half.dispose();

	// A float16 folder whose weights were cut short, or with a dtype this version does not know.
	const weights = path.join(folder, 'half', 'weights.bin');
	fs.truncateSync(weights, size('half') - 2);
	const short = t.throws(() => NerModel.load(path.join(folder, 'half')), {instanceOf: UserError});
	t.regex(short.message, /weights\.bin: \d+ bytes where .*model\.json expects \d+: the folder is damaged/);
	const manifest = path.join(folder, 'full', 'model.json');
	fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"inkling_model": 1,', '"inkling_model": 1, "dtype": "int8",'));
	const unknown = t.throws(() => NerModel.load(path.join(folder, 'full')), {instanceOf: UserError});
	t.regex(unknown.message, /model\.json: "dtype" is "int8"; this inkling reads float32 and float16 weights/);
	model.dispose();
});
