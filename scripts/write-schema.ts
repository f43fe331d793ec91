import { writeFileSync } from 'node:fs';
import { workspaceJsonSchema } from '../src/engine/workspace/json-schema.js';

writeFileSync(new URL('../docs/workspace.schema.json', import.meta.url), `${JSON.stringify(workspaceJsonSchema(), null, 2)}\n`);
process.stdout.write('wrote docs/workspace.schema.json\n');
