#!/usr/bin/env node
// The `inkling` command: TypeScript runs through tsx's loader, so no build step is needed.
import {register} from 'tsx/esm/api';

register();
const entry = new URL('../cli.tsx', import.meta.url).href;
await import(entry);
