// A scoring worker thread's entry (see pool.ts).
import {loadWorkerModule} from '../../worker-module.js';

await loadWorkerModule(import.meta.url);
