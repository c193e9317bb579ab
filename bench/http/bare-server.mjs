import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';

/**
 * The same routes and answers as the API, doing no work: what the machine,
 * Node and Fastify allow before any validation, rule or storage.
 */
const app = Fastify();
let position = 0;
const answer = (ticketId) => ({ ticketId, version: 1, position: String(++position) });

app.get('/health', async () => ({ status: 'ok' }));
app.post('/v1/tickets', async (request, reply) => {
  reply.code(201);
  return answer(request.body?.ticketId ?? randomUUID());
});
for (const command of ['assign', 'escalate', 'resolve', 'feedback']) {
  app.post(`/v1/tickets/:id/${command}`, async (request) => answer(request.params.id));
}

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
