import { timingSafeEqual } from 'node:crypto';
import { isMbsError } from '@mbs/core';
import type { FastifyInstance } from 'fastify';
import { invalidRequest } from './answers.js';
import type { ServedConfiguration } from './server-state.js';

/** Path of the admin endpoint that replaces the configuration. */
export const ADMIN_CONFIGURATION_PATH = '/admin/configuration';

const sameToken = (given: string, expected: Buffer) => {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
};

/**
 * Registers `PUT /admin/configuration`: a configuration document in the body replaces the one
 * served (as SIGHUP does from the file), when `Authorization: Bearer <token>` matches. 401 without
 * the token, 400 naming the problem when the document is invalid for this front end.
 */
export function registerAdminRoute(
  app: FastifyInstance,
  token: string,
  reconfigure: (document: unknown, source: string) => ServedConfiguration,
): void {
  const expected = Buffer.from(token);
  app.put(ADMIN_CONFIGURATION_PATH, { bodyLimit: 16 * 1024 * 1024 }, async (request, reply) => {
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!sameToken(given, expected)) {
      reply.header('www-authenticate', 'Bearer');
      return reply.code(401).send({
        error: { code: 'UNAUTHORIZED', message: 'give Authorization: Bearer <the admin token>' },
      });
    }
    try {
      const served = reconfigure(request.body, `${ADMIN_CONFIGURATION_PATH} body`);
      return {
        applied: true,
        windows: served.document.windows.length,
        classes: served.document.classUpperEdges.length,
        ownedBuffers: served.ownership.buffers,
      };
    } catch (error) {
      if (!isMbsError(error)) throw error;
      const answer = invalidRequest(error.message);
      return reply.code(answer.status).send(answer.body);
    }
  });
}
