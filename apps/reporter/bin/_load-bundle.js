// Loads the bundled CLI (dist/bundle/cli.cjs) through a vm.Script fed with V8's code cache
// (dist/bundle/cli.cjs.cache, written by the build). Node 20 has no compile cache for modules, and
// compiling the 1.2 MB bundle cost ~45 ms of every run; with the cache `--version` starts in about
// 0.14 s instead of 0.2 s. A cache V8 rejects (another Node or V8 version, other V8 flags) is
// ignored: the bundle then compiles as it would without one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Runs the CommonJS bundle at `file` and returns its exports and the script (to write its cache). */
export function loadBundle(file) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}
