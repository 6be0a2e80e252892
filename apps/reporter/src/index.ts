export { run, VERSION } from './cli.js';
export type { CliIo } from './io.js';
