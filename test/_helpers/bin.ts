import path from 'node:path';
import {distStale} from '../../scripts/dist-stale.mjs';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The `inkling` command as the package runs it: built into dist/ by `npm run
 * build` (`npm test` builds first). A build older than the sources would test
 * old code, so it stops the test file with what to run.
 */
export const bin = path.join(root, 'dist', 'source', 'bin.js');

const stale = distStale(root);
if (stale) {
	throw new Error(`dist/ is out of date (${stale}): run \`npm run build\` before these tests (npm test does).`);
}
