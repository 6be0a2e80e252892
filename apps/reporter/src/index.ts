export { run } from './cli.js';
export { VERSION } from './version.js';
export type { CliIo } from './io.js';
