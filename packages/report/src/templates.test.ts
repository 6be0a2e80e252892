import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readTemplate, type TemplateName } from './_templates.js';

const templatesDir = new URL('./templates/', import.meta.url);
const outDir = mkdtempSync(join(tmpdir(), 'balkan-audit-report-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('templates', () => {
  it('are read from src/templates under vitest, and embedded whole by the build step', async () => {
    execFileSync(process.execPath, [new URL('../scripts/embed-templates.mjs', import.meta.url).pathname, '--out', outDir]);
    const embedded = (await import(pathToFileURL(join(outDir, '_templates.js')).href)) as { readTemplate: (name: string) => string };
    const names = readdirSync(templatesDir) as TemplateName[];
    expect(names).toContain('commit-message.hbs');
    for (const name of names) {
      expect(readTemplate(name).length).toBeGreaterThan(0);
      expect(embedded.readTemplate(name)).toBe(readTemplate(name));
    }
    expect(() => embedded.readTemplate('toString')).toThrow('no template named "toString"');
  });
});
