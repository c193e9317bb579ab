import type { Role } from './roles';

/** The stream of who may call the API: every key issued and revoked, in order. */
export const ACCESS_STREAM = 'access';

export interface ApiKeyGrant {
  keyId: string;
  /** What the key is for, in people's words ("night-shift L2", "CRM sync"). */
  name: string;
  roles: Role[];
  /** The agent an `agent` key acts as. */
  agentId?: string;
  /** `sha256:<hex>` of the secret: the secret itself is never stored. */
  secretHash: string;
}

export type ApiKeyIssued = { type: 'ApiKeyIssued'; data: ApiKeyGrant };
export type ApiKeyRevoked = { type: 'ApiKeyRevoked'; data: { keyId: string } };
export type AccessEvent = ApiKeyIssued | ApiKeyRevoked;

export type IssueApiKey = { type: 'IssueApiKey'; data: ApiKeyGrant };
export type RevokeApiKey = { type: 'RevokeApiKey'; data: { keyId: string } };
export type AccessCommand = IssueApiKey | RevokeApiKey;
