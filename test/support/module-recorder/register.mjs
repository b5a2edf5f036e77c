// `node --import <this file>`: records every module the process resolves (see hooks.mjs).
import { register } from 'node:module';

if (!process.env.MBS_MODULE_RECORD) throw new Error('set MBS_MODULE_RECORD to the record file');
register('./hooks.mjs', import.meta.url);
