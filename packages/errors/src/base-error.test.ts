import { describe, expect, it } from 'vitest';
import { BalkanAuditError, isBalkanAuditError } from './base-error.js';

type Code = 'THING_BROKEN' | 'THING_MISSING';
class ThingError extends BalkanAuditError<Code> {
  constructor(code: Code, message: string, options?: ConstructorParameters<typeof BalkanAuditError>[2]) {
    super(code, message, options);
    this.name = 'ThingError';
  }
}

describe('BalkanAuditError', () => {
  it('carries code, data, hint and cause, and is known by its brand', () => {
    const cause = new Error('disk');
    const error = new ThingError('THING_BROKEN', 'the thing broke', { data: { file: 'a.csv', row: 3 }, hint: 'fix it', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ThingError', code: 'THING_BROKEN', message: 'the thing broke', data: { file: 'a.csv', row: 3 }, hint: 'fix it', cause });
    expect(isBalkanAuditError(error)).toBe(true);
    expect(isBalkanAuditError(error, 'THING_BROKEN')).toBe(true);
    expect(isBalkanAuditError(error, 'THING_MISSING')).toBe(false);
  });

  it.each([
    ['a Node system error (its code looks like ours)', Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' })],
    ['an error with an upper-case code', Object.assign(new Error('x'), { code: 'STORE_LOCKED' })],
    ['a plain object', { code: 'STORE_LOCKED', message: 'x' }],
    ['null', null],
  ])('is not claimed for %s', (_name, value) => {
    expect(isBalkanAuditError(value)).toBe(false);
  });

  it('crosses a worker thread as JSON and comes back the same, with its cause chain', async () => {
    const inner = new ThingError('THING_MISSING', 'no thing', { data: { id: '7' } });
    const outer = new ThingError('THING_BROKEN', 'broke', { data: { n: 1 }, hint: 'retry', cause: inner });
    const { Worker } = await import('node:worker_threads');
    const echoed = await new Promise<unknown>((resolve, reject) => {
      const worker = new Worker('require("node:worker_threads").parentPort.on("message", (m) => { require("node:worker_threads").parentPort.postMessage(m); process.exit(0); });', { eval: true });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(outer.toJSON());
    });
    const back = BalkanAuditError.fromJSON(echoed as ReturnType<ThingError['toJSON']>);
    expect(isBalkanAuditError(back)).toBe(true);
    expect(back).toMatchObject({ name: 'ThingError', code: 'THING_BROKEN', message: 'broke', data: { n: 1 }, hint: 'retry' });
    expect(back.cause).toMatchObject({ name: 'ThingError', code: 'THING_MISSING', data: { id: '7' } });
    expect(JSON.parse(JSON.stringify(outer))).toEqual(outer.toJSON());
  });
});
