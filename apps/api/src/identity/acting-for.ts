import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { mayActFor, type Principal } from './principal';

/** The authenticated principal of the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw new Error('A public route asked for the principal');
    return principal;
  },
);

/** An agent acts for itself only; supervisors and admins for anyone. */
export function ensureActingFor(principal: Principal, agentId: string): void {
  if (!mayActFor(principal, agentId)) {
    throw new ApiError(403, 'FORBIDDEN', 'An agent may act for itself only');
  }
}
