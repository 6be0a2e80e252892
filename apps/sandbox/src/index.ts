export { createSandbox } from './sandbox.js';
export { generateSyntheticExport, SYNTHETIC_SECRET_PREFIX } from './synthetic.js';
export { NIGHT2_CHANGES, SANDBOX_RESOURCES, SANDBOX_SECRETS, sandboxCsv } from './data.js';
export { SandboxError } from './errors.js';
export type {
  Sandbox,
  SandboxCounters,
  SandboxFaults,
  SandboxNight,
  SandboxOptions,
  SandboxRequestLog,
  SandboxUrls,
  ScriptedChange,
  SyntheticSpec,
} from './types.js';
