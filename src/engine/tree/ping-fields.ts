import type { LeadFields } from '../../shared/domain.js';
import type { RuntimeCampaign } from '../workspace/runtime.js';
import { isContactField } from '../workspace/validate-workspace.js';

/**
 * The fields a ping may carry: the campaign's ping list, minus anything that identifies the
 * consumer. Workspace validation already refuses a contact field in the ping list; this checks
 * again at the last moment before the wire, so no configuration path can leak one.
 */
export function buildPingFields(campaign: RuntimeCampaign, fields: LeadFields): LeadFields {
  const out: LeadFields = {};
  for (const name of campaign.pingFields) {
    const spec = campaign.fields[name];
    if (!spec || campaign.contactFields.has(name) || isContactField(name, spec)) continue;
    const value = fields[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
