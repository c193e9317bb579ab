import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ApiError } from '../http/api-error';
import { ROUTE_ACCESS, type RouteAccess } from './access.decorator';
import { AuthenticationFailure, type Authenticator } from './authenticator';
import { FailedAttempts, MAX_FAILED_ATTEMPTS } from './failed-attempts';

/** Routes the framework registers itself, outside any controller. */
const FRAMEWORK_ROUTES: Record<string, RouteAccess> = {
  '/docs/openapi.json': { public: true },
};

export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

function accessOf(url: string | undefined, config: unknown): RouteAccess | undefined {
  const declared = (config as Record<string, unknown> | undefined)?.[ROUTE_ACCESS];
  if (declared !== undefined) return declared as RouteAccess;
  return url === undefined ? undefined : FRAMEWORK_ROUTES[url];
}

/** Every route the server has, with who may call it, as Fastify registers them. */
export function recordRoutes(fastify: FastifyInstance): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  fastify.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, access: accessOf(route.url, route.config) });
    }
  });
  return routes;
}

const CHALLENGE = 'Bearer realm="escalation-ledger"';

function refuse(reply: FastifyReply, error: ApiError, headers: Record<string, string> = {}) {
  return reply.code(error.status).headers(headers).send(error.toBody());
}

/**
 * Checks the credential and the route's roles as soon as a request's head
 * arrives, before its body is read or validated: a refused request costs
 * little and appends nothing.
 */
export function installAccessControl(fastify: FastifyInstance, authenticator: Authenticator): void {
  const logger = new Logger('Access');
  const failures = new FailedAttempts();
  fastify.decorateRequest('principal', null);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url;
    const access = accessOf(url, request.routeOptions.config);
    if (access !== undefined && 'public' in access) return;
    try {
      request.principal = await authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      if (!(error instanceof AuthenticationFailure)) throw error;
      const challenge = error.presented ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE;
      const unauthenticated = new ApiError(
        401,
        'UNAUTHENTICATED',
        'Send a valid credential: Authorization: Bearer <key or token>',
      );
      // Only credentials presented and refused count as guesses.
      if (!error.presented)
        return refuse(reply, unauthenticated, { 'www-authenticate': challenge });
      const where = `${request.method} ${url ?? 'an unknown route'}`;
      const { wait, newlySlowed } = failures.record(request.ip);
      if (wait === undefined) {
        logger.warn(`Refused a credential from ${request.ip} (${where}): ${error.reason}`);
        return refuse(reply, unauthenticated, { 'www-authenticate': challenge });
      }
      if (newlySlowed) {
        logger.warn(
          `Slowing ${request.ip}: over ${MAX_FAILED_ATTEMPTS} refused credentials in a minute (${where}: ${error.reason})`,
        );
      }
      return refuse(
        reply,
        new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Too many refused credentials: wait and retry'),
        { 'retry-after': String(wait) },
      );
    }
    // An unknown path is authenticated, then answered 404 by the router.
    if (url === undefined) return;
    const roles = access && 'roles' in access ? access.roles : [];
    if (!request.principal.roles.some((role) => roles.includes(role))) {
      return refuse(
        reply,
        new ApiError(
          403,
          'FORBIDDEN',
          `This route needs one of the roles: ${roles.join(', ') || 'none declared'}`,
        ),
      );
    }
  });
}
