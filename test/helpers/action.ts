/**
 * The repository's `action.yml`, read as GitHub's runner reads it, so end-to-end tests run the
 * action's own `night` step (the shell that calls scripts/nightly-pr.sh) rather than a copy of it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const ACTION_YML = `${ROOT}/action.yml`;

interface ActionStep {
  readonly id?: string;
  readonly uses?: string;
  readonly shell?: string;
  readonly 'working-directory'?: string;
  readonly env?: Record<string, string>;
  readonly run?: string;
}

export interface Action {
  readonly inputs: Record<string, { readonly description: string; readonly default?: string }>;
  readonly outputs: Record<string, { readonly description: string; readonly value: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly ActionStep[] };
}

export function loadAction(): Action {
  return parse(readFileSync(ACTION_YML, 'utf8')) as Action;
}

/** The `night` step with its `${{ … }}` expressions resolved, ready to run as GitHub would. */
export interface ResolvedStep {
  readonly env: Record<string, string>;
  readonly run: string;
  readonly workingDirectory: string;
  /** GitHub's `shell: bash`: `bash --noprofile --norc -eo pipefail <file>`. */
  readonly bashArgs: readonly string[];
}

/**
 * Resolves the step for the inputs given in `with` (the others take their defaults). Only the
 * expressions this action uses are known (`inputs.*`, `github.action_path`, `github.token`); any
 * other fails the test, so the action cannot grow one that the test silently skips.
 */
export function resolveNightStep(action: Action, given: Record<string, string>, github: { readonly token: string }): ResolvedStep {
  const step = action.runs.steps.find((s) => s.id === 'night');
  if (step?.run === undefined || step.shell !== 'bash') throw new Error('action.yml has no bash step with id night');
  for (const name of Object.keys(given)) if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  const input = (name: string): string => {
    const declared = action.inputs[name];
    if (declared === undefined) throw new Error(`action.yml uses the undeclared input ${name}`);
    return given[name] ?? resolve(declared.default ?? '');
  };
  function resolve(text: string): string {
    return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      if (expression.startsWith('inputs.')) return input(expression.slice('inputs.'.length));
      if (expression === 'github.action_path') return ROOT;
      if (expression === 'github.token') return github.token;
      throw new Error(`the test does not know the expression \${{ ${expression} }}`);
    });
  }
  if (/\$\{\{/.test(step.run)) throw new Error('the night step\'s script holds an expression: pass it through env instead');
  return {
    env: Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, resolve(String(value))])),
    run: step.run,
    workingDirectory: resolve(step['working-directory'] ?? '.'),
    bashArgs: ['--noprofile', '--norc', '-eo', 'pipefail'],
  };
}

/** The step output each action output reads (`${{ steps.night.outputs.NAME }}`). */
export function actionOutputs(action: Action): Record<string, string> {
  return Object.fromEntries(Object.entries(action.outputs).map(([name, { value }]) => {
    const match = /^\$\{\{\s*steps\.night\.outputs\.([\w-]+)\s*\}\}$/.exec(value);
    if (match === null) throw new Error(`output ${name} does not read the night step: ${value}`);
    return [name, match[1]!];
  }));
}
