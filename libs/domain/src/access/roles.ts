/**
 * What a principal may do. `agent` is bound to one agent id; `monitor` is for
 * the scrapers of operations metrics; `admin` may do everything; a principal
 * may hold several roles.
 */
export const ROLES = ['agent', 'supervisor', 'auditor', 'analyst', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The actor of the SLA clock's and the assigner's decisions: no credential may claim it. */
export const AUTOMATION_ACTOR = 'automation';

/**
 * Actors no credential may pass for: the automation's, and the `key:<keyId>`
 * of API keys. Compared in any case, so `Automation` cannot pass either.
 */
export function isReservedActor(id: string): boolean {
  const lower = id.toLowerCase();
  return (
    lower === AUTOMATION_ACTOR ||
    lower.startsWith(`${AUTOMATION_ACTOR}:`) ||
    lower.startsWith('key:')
  );
}
