import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Allow } from '../identity/access.decorator';
import { FeedQueryDto, requestedTypes } from './feed-query.dto';
import {
  FEED_HEADERS,
  FEED_RETRY_AFTER_SECONDS,
  Feeds,
  MAX_FEEDS_PER_PRINCIPAL,
  type StartingPoint,
} from './feeds';

const RETRY_AFTER = {
  'Retry-After': {
    required: true,
    schema: { type: 'integer' },
    description: `Seconds to wait: ${FEED_RETRY_AFTER_SECONDS}`,
  },
};

const MESSAGE_FORMAT = [
  'Server-Sent Events, one message per event of the log, in log order:',
  "`id:` the event's position (what Last-Event-ID resumes after), `event:` its type,",
  '`data:` the event as JSON { type, streamId, version, position, occurredAt, metadata, data }.',
  'A principal holding only the analyst role receives { type, streamId, version, position, occurredAt }:',
  'no metadata, no data; so does anyone but an admin for the events of the `access` stream.',
  'An idle feed sends a `: keep-alive` comment every 15 s (FEED_HEARTBEAT_MS).',
  'A client that falls too far behind receives `event: overflow` with data { reason, after }',
  'and is disconnected: it reconnects with after (or its Last-Event-ID).',
].join(' ');

const EXAMPLE = [
  'id: 42',
  'event: TicketEscalated',
  'data: {"type":"TicketEscalated","streamId":"ticket-7b0c2f6e-1c1e-4a53-9a43-0c9f7a3f1b11","version":3,"position":"42","occurredAt":"2026-01-05T09:00:00.000Z","metadata":{"eventId":"…","occurredAt":"2026-01-05T09:00:00.000Z","actor":"ana","correlationId":"…","causationId":"…","schemaVersion":1},"data":{"fromTier":"L1","toTier":"L2","reason":"complexity","note":"Tried the runbook"}}',
  '',
  ': keep-alive',
  '',
  '',
].join('\n');

function lastEventId(request: FastifyRequest): string | undefined {
  const value = request.headers['last-event-id'];
  const id = Array.isArray(value) ? value[0] : value;
  // EventSource sends none before its first event; an empty one means the same.
  return id === undefined || id === '' ? undefined : id;
}

@ApiTags('feed')
@Controller('v1/feed')
export class FeedController {
  constructor(private readonly feeds: Feeds) {}

  @Allow('agent', 'supervisor', 'auditor', 'analyst')
  @Get()
  @ApiOperation({
    summary: 'Follow the change feed',
    description:
      'Every event appended to the log, as Server-Sent Events, from a position (after, or Last-Event-ID to resume) or from now; analysts receive envelopes without data and metadata (docs/feed.md).',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'Resume after this position: the id of the last message received. Takes precedence over ?after=',
  })
  @ApiOkResponse({
    description: MESSAGE_FORMAT,
    content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLE } },
  })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED, before the stream starts: after or Last-Event-ID is not a position of the log (or is past its end), or types names an unknown event type (the message lists the known ones)',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorBodyDto,
    description: `TOO_MANY_FEEDS: this credential holds ${MAX_FEEDS_PER_PRINCIPAL} feeds already (TOO_MANY_ATTEMPTS, from access control, is the other 429)`,
    headers: RETRY_AFTER,
  })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description:
      'FEED_LIMIT_REACHED: this server already serves FEED_MAX_CONNECTIONS feeds; SHUTTING_DOWN: it is stopping',
    headers: RETRY_AFTER,
  })
  async follow(
    @Query() query: FeedQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const types = requestedTypes(query.types);
    const header = lastEventId(request);
    const start: StartingPoint =
      header !== undefined
        ? { position: header, field: 'Last-Event-ID' }
        : { position: query.after, field: 'after' };
    const after = await this.feeds.startAfter(start);
    if (request.method === 'HEAD') {
      void reply.code(200).headers(FEED_HEADERS).send();
      return;
    }
    this.feeds.follow(reply, { after, types, principal: request.principal! });
  }
}
