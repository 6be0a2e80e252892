import { describe, expect, it } from 'vitest';
import { createProgressReporter, exportProgressHandler, formatBytes, formatSeconds } from './progress.js';
import { captureIo } from './_test-io.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_000, '1.0 kB'],
    [1_234_567, '1.2 MB'],
    [999_960, '1.0 MB'],
    [5_000_000_000, '5.0 GB'],
  ])('%i → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it.each([[0, '0.0'], [349, '0.3'], [12_345, '12.3']])('formatSeconds(%i) → %s', (ms, expected) => {
    expect(formatSeconds(ms)).toBe(expected);
  });
});

describe('createProgressReporter', () => {
  it('prints only milestones as plain lines when not interactive', () => {
    const io = captureIo();
    const progress = createProgressReporter(io, { timer: false });
    const handle = exportProgressHandler(progress);
    handle({ type: 'requested', resource: 'integrations', exports: 1 });
    handle({ type: 'polling', resource: 'integrations', attempt: 1, delayMs: 400 });
    handle({ type: 'ready', resource: 'integrations', polls: 2 });
    handle({ type: 'downloading', resource: 'integrations', bytes: 10, totalBytes: 20 });
    handle({ type: 'retry', resource: 'integrations', reason: '503 Service Unavailable', attempt: 1, delayMs: 250 });
    progress.finish('integrations', '1.2 MB in 0.3 s');
    progress.close();
    expect(io.err()).toBe([
      'integrations: ready after 2 polls',
      'integrations: retry 1 in 0.3 s: 503 Service Unavailable',
      'integrations: 1.2 MB in 0.3 s',
      '',
    ].join('\n'));
  });

  it('redraws one live line with every active task on a terminal, milestones above it', () => {
    const io = captureIo({ interactive: true });
    let clock = 0;
    const progress = createProgressReporter(io, { now: () => clock, redrawIntervalMs: 100, columns: 80, timer: false });
    progress.status('apps', 'export requested');
    clock += 100;
    progress.status('labels', 'waiting for the export (poll 2)');
    clock += 10;
    progress.status('labels', 'throttled, not drawn');
    progress.finish('apps', '2.0 kB in 0.1 s');
    progress.close();
    expect(io.err()).toBe([
      '\r\x1b[2Kapps: export requested',
      '\r\x1b[2Kapps: export requested · labels: waiting for the export (poll 2)',
      '\r\x1b[2Kapps: 2.0 kB in 0.1 s\n',
      '\r\x1b[2Klabels: throttled, not drawn',
      '\r\x1b[2K',
    ].join(''));
  });

  it('cuts the live line to the terminal width', () => {
    const io = captureIo({ interactive: true });
    const progress = createProgressReporter(io, { columns: 20, timer: false });
    progress.status('integrations', 'downloading a very long status');
    expect(io.err()).toBe('\r\x1b[2Kintegrations: down…');
  });
});

describe('exportProgressHandler', () => {
  it('keeps live statuses short enough for three resources on one line', () => {
    const io = captureIo({ interactive: true });
    const progress = createProgressReporter(io, { redrawIntervalMs: 0, columns: 200, timer: false });
    const handle = exportProgressHandler(progress);
    handle({ type: 'requested', resource: 'apps', exports: 1 });
    handle({ type: 'polling', resource: 'labels', attempt: 2, delayMs: 100 });
    handle({ type: 'downloading', resource: 'integrations', bytes: 350_000, totalBytes: 1_000_000 });
    expect(io.err().split('\r\x1b[2K').pop()).toBe('apps: export requested · labels: not ready yet (poll 3) · integrations: downloading, 35% of 1.0 MB');
  });
});

describe('a slow export is never silent', () => {
  it('off a terminal, prints the state of a waiting task every 10 s, with its seconds', () => {
    const io = captureIo();
    let clock = 0;
    const progress = createProgressReporter(io, { now: () => clock, timer: false });
    const handle = exportProgressHandler(progress);
    handle({ type: 'requested', resource: 'integrations', exports: 1 });
    for (let attempt = 0; attempt < 30; attempt++) {
      clock += 1000;
      if (attempt % 4 === 0) handle({ type: 'polling', resource: 'integrations', attempt, delayMs: 4000 });
      progress.tick();
    }
    progress.finish('integrations', 'done');
    expect(io.err()).toBe([
      'integrations: not ready yet (poll 9) (10 s)',
      'integrations: not ready yet (poll 17) (20 s)',
      'integrations: not ready yet (poll 29) (30 s)',
      'integrations: done',
      '',
    ].join('\n'));
  });

  it('on a terminal, the live line counts the seconds', () => {
    const io = captureIo({ interactive: true });
    let clock = 0;
    const progress = createProgressReporter(io, { now: () => clock, timer: false });
    progress.status('apps', 'not ready yet (poll 1)');
    clock = 5_000;
    progress.tick();
    expect(io.err().split('\r\x1b[2K').pop()).toBe('apps: not ready yet (poll 1) (5 s)');
  });

  it('runs its own timer while a task is active, and stops it on close', async () => {
    const io = captureIo();
    const progress = createProgressReporter(io, { heartbeatMs: 1 });
    progress.status('labels', 'export requested');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    progress.close();
    expect(io.err()).toMatch(/^labels: export requested\n/);
    const printed = io.err();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(io.err()).toBe(printed);
  });
});
