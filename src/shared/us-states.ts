/**
 * USPS codes of the states, DC and the inhabited territories, with the names sources send instead.
 * Shared by the intake (which accepts "Texas" for TX) and the console's forms, so both accept the same.
 */
export const STATE_NAMES: Readonly<Record<string, string>> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho',
  IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana',
  ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi',
  MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey',
  NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma',
  OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota',
  TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington',
  WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', DC: 'District of Columbia', PR: 'Puerto Rico',
  VI: 'U.S. Virgin Islands', GU: 'Guam', AS: 'American Samoa', MP: 'Northern Mariana Islands',
};

function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
}

const BY_NAME = new Map<string, string>(Object.entries(STATE_NAMES).map(([code, name]) => [nameKey(name), code]));
BY_NAME.set('washington dc', 'DC');
BY_NAME.set('washington d c', 'DC');
BY_NAME.set('virgin islands', 'VI');
BY_NAME.set('us virgin islands', 'VI');

/** A two-letter upper-case code ("TX") from a code in any case or a full name ("texas"); null otherwise. */
export function stateCode(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 2) {
    const code = text.toUpperCase();
    return code in STATE_NAMES ? code : null;
  }
  if (text.length > 40) return null;
  return BY_NAME.get(nameKey(text)) ?? null;
}

/**
 * A list of states as a broker types it: codes or names, separated by commas, semicolons or new
 * lines ("Texas, CA; new york"). Names may hold spaces, so spaces alone separate only two-letter codes
 * ("TX CA"). Returns the codes in order, without repeats, and every entry that is not a state.
 */
export function parseStateList(text: string): { codes: string[]; unknown: string[] } {
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const entry of text.split(/[,;\n]+/).map((s) => s.trim()).filter(Boolean)) {
    const whole = stateCode(entry);
    const parts = whole ? [entry] : entry.split(/\s+/);
    for (const part of parts) {
      const code = stateCode(part);
      if (code) {
        if (!codes.includes(code)) codes.push(code);
      } else unknown.push(part);
    }
  }
  return { codes, unknown };
}
