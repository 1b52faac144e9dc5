#!/usr/bin/env node
// Entry point of `npx sportello`: loads the TypeScript CLI in this same process through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./sportello.ts');
