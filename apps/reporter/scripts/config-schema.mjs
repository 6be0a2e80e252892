#!/usr/bin/env node
// Writes config.schema.json (committed, shipped in the npm package, for editors' `$schema`) from
// the schema the CLI validates with (src/config/schema.ts, compiled). A unit test checks that the
// committed file is what this writes. Run after tsc.
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/config/schema.js';

writeFileSync('config.schema.json', `${JSON.stringify(configSchema(), null, 2)}\n`);
