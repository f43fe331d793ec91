/**
 * What counts as contact data, shared by the engine (which refuses it in pings) and the console
 * (which offers no ping checkbox for it). Names that identify a consumer count whatever their flags.
 */
export const CONTACT_FIELD_NAMES: ReadonlySet<string> = new Set([
  'first_name', 'last_name', 'name', 'full_name', 'phone', 'phone_number', 'mobile', 'email', 'email_address',
  'address', 'street', 'street_address', 'address1', 'address2', 'ip', 'ip_address', 'trustedform_cert_url',
  'leadid_token', 'consent', 'ssn', 'dob', 'date_of_birth',
]);

export function isContactField(name: string, spec: { type: string; contact?: boolean } | undefined): boolean {
  return CONTACT_FIELD_NAMES.has(name) || spec?.contact === true || spec?.type === 'phone' || spec?.type === 'email';
}
