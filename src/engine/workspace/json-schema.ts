import { z } from 'zod';
import { workspaceSchema } from './schema.js';

/** The published JSON Schema of the workspace file, generated from the one zod definition. */
export function workspaceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $id: 'https://pingdesk.example/workspace.schema.json',
    title: 'Pingdesk workspace',
    description: 'Campaigns, sources, buyers, tiers and rules of a Pingdesk exchange. Money in dollars, times in milliseconds.',
    ...schema,
  };
}
