// Print every candidate's probabilities for fixed texts from a saved model, on one backend.
// Usage: node --import=tsx test/_helpers/probabilities.ts <model folder> <wasm|cpu>
import {loadBackend, type BackendName} from '../../source/model/backend.js';
import {mergeAnswers, prepareInputs} from '../../source/model/data.js';
import {NerModel} from '../../source/model/model.js';
import {scoreSentences} from '../../source/model/train.js';

const [folder, backend] = process.argv.slice(2);
await loadBackend({prefer: backend as BackendName});
const model = NerModel.load(folder!);
const texts = ['Anna Smith works as a nurse in Leeds .', 'The office in Kyiv hired Li Wei .', 'Nothing to see here'];
const {sentences} = prepareInputs(mergeAnswers(texts.map(text => ({text}))), model.network.config);
const scores = scoreSentences(model.network, sentences);
process.stdout.write(JSON.stringify(scores.map(part => [...part])) + '\n');
model.dispose();
