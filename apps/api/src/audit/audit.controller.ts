import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { EVENT_STORE, type ChainReceipt, type EventStore } from '@ledger/event-store';
import { ApiError } from '../http/api-error';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Allow } from '../identity/access.decorator';
import { ChainAudit } from './chain-audit';
import { ChainHeadDto, ChainVerificationDto, VerifyQueryDto } from './audit.dto';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly audit: ChainAudit,
  ) {}

  @Allow('auditor')
  @Get('head')
  @ApiOperation({
    summary: 'Read the chain’s head',
    description:
      'The head of the log’s hash chain: a receipt to keep, and to hand back to verify later (docs/audit.md).',
  })
  @ApiOkResponse({ type: ChainHeadDto })
  head(): Promise<ChainHeadDto> {
    return this.events.chain.head();
  }

  @Allow('auditor')
  @Get('verify')
  @ApiOperation({
    summary: 'Verify the log',
    description:
      'Recomputes the hash chain over the whole log and names the first event where it fails; with a receipt, also whether the log still extends it.',
  })
  @ApiOkResponse({
    type: ChainVerificationDto,
    description: 'The verification, whether the chain holds or not',
  })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED: position or hash malformed, or one sent without the other',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorBodyDto,
    description:
      'VERIFICATIONS_QUEUED: four verifications wait their turn already; TOO_MANY_ATTEMPTS: too many refused credentials from this address',
    headers: {
      'Retry-After': {
        required: true,
        schema: { type: 'integer' },
        description: 'Seconds to wait',
      },
    },
  })
  verify(@Query() query: VerifyQueryDto): Promise<ChainVerificationDto> {
    return this.audit.verify(this.receiptOf(query));
  }

  private receiptOf({ position, hash }: VerifyQueryDto): ChainReceipt | undefined {
    if (position === undefined && hash === undefined) return undefined;
    if (position === undefined || hash === undefined) {
      const missing = position === undefined ? 'position' : 'hash';
      throw ApiError.validation([
        { field: missing, message: 'a receipt is a position and a hash: send both, or neither' },
      ]);
    }
    if (!this.events.isValidPosition(position)) {
      throw ApiError.validation([
        { field: 'position', message: 'position must be a position from GET /v1/audit/head' },
      ]);
    }
    return { position, hash: hash.toLowerCase() };
  }
}
