import { isReservedActor, isRole, type Role } from '@ledger/domain';
import type { OidcConfig } from '@ledger/runtime';
import type { JWTPayload } from 'jose';
import { AGENT_ID } from '../../agents/agent.dto';
import { InvalidTokenError } from './invalid-token.error';

/** Who a verified token speaks for. */
export interface TokenPrincipal {
  /** The token's `sub`. */
  subject: string;
  /** The known roles the token grants; never empty. */
  roles: Role[];
  /** The agent an `agent` token acts as; set only for that role. */
  agentId?: string;
  /** The token's `exp`: a caller caching the principal must not keep it longer. */
  expiresAt: Date;
}

function rolesIn(claim: unknown): Role[] {
  // Providers write roles either as a JSON array or as an OAuth-style space-separated scope string.
  const names = typeof claim === 'string' ? claim.split(/\s+/) : Array.isArray(claim) ? claim : [];
  return [...new Set(names.filter(isRole))];
}

/** The principal of claims whose signature, issuer, audience and lifetime are already checked. */
export function principalFrom(
  claims: JWTPayload,
  names: Pick<OidcConfig, 'rolesClaim' | 'agentClaim'>,
): TokenPrincipal {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') {
    throw new InvalidTokenError('missing sub claim');
  }
  if (isReservedActor(subject)) {
    throw new InvalidTokenError('reserved subject');
  }
  const roles = rolesIn(claims[names.rolesClaim]);
  if (roles.length === 0) {
    throw new InvalidTokenError(`no known role in the ${names.rolesClaim} claim`);
  }
  if (typeof claims.exp !== 'number') {
    throw new InvalidTokenError('missing exp claim');
  }
  const expiresAt = new Date(claims.exp * 1000);
  if (!roles.includes('agent')) {
    return { subject, roles, expiresAt };
  }
  const agentId = claims[names.agentClaim];
  if (typeof agentId !== 'string' || !AGENT_ID.test(agentId)) {
    throw new InvalidTokenError(`agent token without an agent id in the ${names.agentClaim} claim`);
  }
  if (isReservedActor(agentId)) {
    throw new InvalidTokenError('reserved agent id');
  }
  return { subject, roles, agentId, expiresAt };
}
