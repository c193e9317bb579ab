import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiForbiddenResponse,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../http/error-body.dto';
import type { Role } from '@ledger/domain';

/** Who may call a route: anyone, or a principal holding one of the roles. */
export type RouteAccess = { public: true } | { roles: readonly Role[] };

export const ROUTE_ACCESS = 'access';

/** The security schemes of the OpenAPI document: an API key or an identity provider's token. */
export const API_KEY_SCHEME = 'apiKey';
export const OIDC_TOKEN_SCHEME = 'oidcToken';

function declare(access: RouteAccess) {
  // Route config reaches Fastify's request hooks, where credentials are checked before the body is read.
  return [RouteConfig({ [ROUTE_ACCESS]: access }), SetMetadata(ROUTE_ACCESS, access)];
}

/** The route is for principals holding one of `roles`; an admin may call every route. */
export function Allow(...roles: Role[]) {
  const allowed = [...new Set<Role>([...roles, 'admin'])];
  return applyDecorators(
    ...declare({ roles: allowed }),
    ApiSecurity(API_KEY_SCHEME),
    ApiSecurity(OIDC_TOKEN_SCHEME),
    ApiUnauthorizedResponse({
      type: ErrorBodyDto,
      description: 'UNAUTHENTICATED: no credential, or one unknown, expired or revoked',
      headers: {
        'WWW-Authenticate': {
          required: true,
          schema: {
            type: 'string',
            example: 'Bearer realm="escalation-ledger", error="invalid_token"',
          },
          description:
            'Bearer realm="escalation-ledger", with error="invalid_token" when a credential was presented',
        },
      },
    }),
    ApiForbiddenResponse({
      type: ErrorBodyDto,
      description: `FORBIDDEN: the principal holds none of the roles ${allowed.join(', ')}`,
    }),
    ApiTooManyRequestsResponse({
      type: ErrorBodyDto,
      description: 'TOO_MANY_ATTEMPTS: too many refused credentials from this address',
      headers: {
        'Retry-After': {
          required: true,
          schema: { type: 'integer' },
          description: 'Seconds to wait',
        },
      },
    }),
  );
}

/** The route answers without a credential. */
export function Public() {
  return applyDecorators(...declare({ public: true }));
}
