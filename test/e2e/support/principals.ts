import type { Role } from '@ledger/domain';
import { bearer, type TestApp } from '../../support/test-app';

/** Issues an agent key for each agent id: the headers that make a request come from that agent. */
export async function agentCredentials(
  api: TestApp,
  agentIds: readonly string[],
  roles: Role[] = ['agent'],
): Promise<Record<string, Record<string, string>>> {
  const credentials: Record<string, Record<string, string>> = {};
  for (const agentId of agentIds) {
    const issued = await api.request('POST', '/v1/keys', { name: agentId, roles, agentId });
    if (issued.status !== 201) throw new Error(`No key for ${agentId}: ${issued.status}`);
    credentials[agentId] = bearer(issued.body.key);
  }
  return credentials;
}
