import type { Role } from '@ledger/domain';

/** Who a request comes from, as its credential proves. */
export interface Principal {
  /** The credential's holder, unique across kinds: `key:<keyId>` or `token:<subject>`. */
  id: string;
  /** What events record as `actor`: the agent id of an agent, else `key:<keyId>` or the token's subject. */
  actor: string;
  roles: Role[];
  /** The agent an agent credential acts as. */
  agentId?: string;
  /** The API key presented, when it was one. */
  keyId?: string;
  /** When the token presented stops being valid, when it was one. */
  expiresAt?: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Whether the principal may act on behalf of `agentId` (assign to them, set their availability). */
export function mayActFor(principal: Principal, agentId: string): boolean {
  return (
    principal.roles.includes('admin') ||
    principal.roles.includes('supervisor') ||
    principal.agentId === agentId
  );
}
