// The preload that records which files a step loaded (loaded-files.cjs, CommonJS as `--require` needs).
import { resolve } from 'node:path';

export const LOADED_FILES_PRELOAD = resolve(import.meta.dirname, 'loaded-files.cjs');
