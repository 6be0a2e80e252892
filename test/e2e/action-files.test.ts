import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_YML, actionOutputs, loadAction, ROOT } from '../helpers/action.js';

// Issue 14: action.yml and the example workflows validate against GitHub's schemas
// (@action-validator/cli, offline after pnpm install), and the workflows use the action as it is.
const VALIDATOR = fileURLToPath(new URL('../node_modules/@action-validator/cli/cli.mjs', import.meta.url));
const WORKFLOWS = readdirSync(`${ROOT}/examples/github`).filter((name) => name.endsWith('.yml')).map((name) => `${ROOT}/examples/github/${name}`);

interface WorkflowStep { readonly uses?: string; readonly with?: Record<string, unknown> }
interface Workflow { readonly jobs: Record<string, { readonly steps: readonly WorkflowStep[] }> }

describe('the action and its example workflows', () => {
  it('has both examples', () => {
    expect(WORKFLOWS.map((file) => file.slice(ROOT.length + 1)).sort()).toEqual(['examples/github/multi-tenant.yml', 'examples/github/nightly.yml']);
  });

  it.each([ACTION_YML, ...WORKFLOWS].map((file) => file.slice(ROOT.length + 1)))('%s passes action-validator', (file) => {
    const run = spawnSync(process.execPath, [VALIDATOR, join(ROOT, file)], { encoding: 'utf8' });
    expect({ status: run.status, errors: run.stderr }).toEqual({ status: 0, errors: '' });
  });

  it('refuses what GitHub would refuse (the validator is not a no-op)', () => {
    const broken = readFileSync(ACTION_YML, 'utf8').replace('using: composite', 'using: compose');
    const dir = mkdtempSync(join(tmpdir(), 'action-validator-'));
    writeFileSync(join(dir, 'action.yml'), broken);
    const run = spawnSync(process.execPath, [VALIDATOR, join(dir, 'action.yml')], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('/runs/using');
  });

  it('uses every input it declares, and the workflows give it only inputs it declares', () => {
    const action = loadAction();
    const text = readFileSync(ACTION_YML, 'utf8');
    for (const name of Object.keys(action.inputs)) expect(text).toContain(`inputs.${name} }}`);
    for (const file of WORKFLOWS) {
      const workflow = parse(readFileSync(file, 'utf8')) as Workflow;
      const uses = Object.values(workflow.jobs).flatMap((job) => job.steps).filter((step) => step.uses?.startsWith('your-org/balkan-audit@'));
      expect(uses).toHaveLength(1);
      for (const name of Object.keys(uses[0]!.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    }
  });

  it('outputs changed, high-events and the report paths from its night step', () => {
    expect(Object.keys(actionOutputs(loadAction()))).toEqual(expect.arrayContaining(['changed', 'high-events', 'report-md', 'report-html', 'report-json']));
  });
});
