import { Controller, Get, Header, Inject, Query, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { READ_STORE, type KpiQueries, type PostMortemQueries } from '@ledger/read-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import type { FastifyReply } from 'fastify';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ApiError } from '../http/api-error';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { ReadModelQueryDto } from '../read-models/dto/read-queries.dto';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { CLOCK, type Clock } from '../storage/clock';
import { parseQuarter, QUARTER } from './quarter';
import { quarterlyReview } from './quarterly-review';
import { reviewMarkdown } from './review-markdown';

export const REVIEW_FORMATS = ['json', 'md'] as const;

export class ReviewQueryDto extends ReadModelQueryDto {
  @ApiProperty({ example: '2026Q4', pattern: QUARTER.source })
  @IsString()
  @Matches(QUARTER, { message: 'quarter must be a year and a quarter, such as 2026Q4' })
  quarter!: string;

  @ApiPropertyOptional({ enum: REVIEW_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REVIEW_FORMATS)
  format?: (typeof REVIEW_FORMATS)[number];
}

@ApiTags('reviews')
@Controller('v1/reviews')
export class ReviewsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: KpiQueries & PostMortemQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Allow('auditor', 'analyst', 'supervisor')
  @Get('escalations')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Read the quarterly review',
    description:
      'The quarterly escalation review: the quarter’s KPIs against the previous one, top root causes and their trend, post-mortem coverage, open and overdue actions by owner, repeat escalations. As JSON, or with format=md as a Markdown document.',
  })
  @ApiOkResponse({
    description: 'The review as JSON, or with format=md as a Markdown document',
    content: {
      'application/json': { schema: { type: 'object' } },
      'text/markdown': { schema: { type: 'string' } },
    },
  })
  @ReadModelAnswers({ invalid: 'quarter, format' })
  async escalations(@Query() dto: ReviewQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const quarter = parseQuarter(dto.quarter);
    if (!quarter) {
      throw ApiError.validation([{ field: 'quarter', message: 'quarter must be such as 2026Q4' }]);
    }
    await this.readYourWrites.await('escalation-kpis', dto.after);
    await this.readYourWrites.await('post-mortems', dto.after);
    const review = await quarterlyReview(this.readStore, quarter, {
      requiredBy: this.config.postMortemRequired,
      now: this.clock.now().toISOString(),
    });
    if (dto.format !== 'md') return review;
    void reply.header('content-type', 'text/markdown; charset=utf-8');
    return reviewMarkdown(review);
  }
}
