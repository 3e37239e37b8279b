// The correct worker thread's entry: TypeScript runs through tsx's loader, as in bin.js.
import {register} from 'tsx/esm/api';

register();
await import(new URL('worker.ts', import.meta.url).href);
