// The teach worker thread's entry.
import {loadWorkerModule} from '../../worker-module.js';

await loadWorkerModule(import.meta.url);
