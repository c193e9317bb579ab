import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  isOverdue,
  POST_MORTEM_CODES,
  PostMortemNotFoundError,
  postMortemStatus,
  type PostMortemCommand,
} from '@ledger/domain';
import { READ_STORE, type PostMortemQueries } from '@ledger/read-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { PatternParamPipe } from '../http/pattern-param.pipe';
import { CommandAnswers } from '../http/command-answers.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { CLOCK, type Clock } from '../storage/clock';
import { Command, type CommandContext } from '../tickets/command-context';
import { PostMortemCommands } from './post-mortem-commands';
import { postMortemListItem } from './post-mortem-list';
import {
  ACTION_ID,
  DropActionDto,
  PostMortemAnswerDto,
  PostMortemDto,
  PostMortemListQueryDto,
} from './post-mortem.dto';
import { PostMortemListDto, PostMortemViewDto } from './post-mortem-view.dto';

/** An action id in a path: `a1`, `a2`… as the post-mortem numbered them. */
const ActionIdParam = PatternParamPipe('actionId', ACTION_ID, 'actionId must be such as a1');

/** A command to an action of a post-mortem recorded already. */
function PostMortemActionAnswers() {
  return CommandAnswers({
    rules: [POST_MORTEM_CODES.actionClosed],
    notFound: ['POST_MORTEM_NOT_FOUND', 'ACTION_NOT_FOUND'],
    ifMatch: 'the post-mortem',
  });
}

@ApiTags('post-mortems')
@Controller('v1')
export class PostMortemsController {
  constructor(
    private readonly postMortems: PostMortemCommands,
    private readonly idempotent: IdempotentCommands,
    @Inject(READ_STORE) private readonly readStore: PostMortemQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  private send(ticketId: string, command: PostMortemCommand, context: CommandContext) {
    return this.idempotent.run(context, 200, () =>
      this.postMortems.execute(ticketId, command, context),
    );
  }

  @Allow('supervisor')
  @Post('tickets/:id/post-mortem')
  @HttpCode(200)
  @ApiOkResponse({ type: PostMortemAnswerDto })
  @CommandAnswers({
    rules: [
      POST_MORTEM_CODES.notEscalated,
      POST_MORTEM_CODES.notEnded,
      POST_MORTEM_CODES.actionClosed,
      POST_MORTEM_CODES.actionLimitReached,
    ],
    notFound: ['TICKET_NOT_FOUND', 'ACTION_NOT_FOUND'],
    ifMatch: 'the post-mortem',
  })
  @ApiOperation({
    summary: 'Record or amend a post-mortem',
    description:
      'Records the post-mortem of an escalated, resolved ticket, or amends it: actions without an actionId are added, with one they change that open action.',
  })
  record(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: PostMortemDto,
    @Command() context: CommandContext,
  ) {
    const command: PostMortemCommand = {
      type: 'RecordPostMortem',
      data: {
        ticketId: id,
        participants: body.participants.map(({ agentId, role }) => ({ agentId, role })),
        rootCause: body.rootCause,
        wentWell: body.wentWell,
        toImprove: body.toImprove,
        actions: (body.actions ?? []).map(({ actionId, kind, description, owner, dueDate }) => ({
          ...(actionId !== undefined && { actionId }),
          kind,
          description,
          owner,
          dueDate,
        })),
      },
    };
    return this.send(id, command, context);
  }

  @Allow('supervisor')
  @Post('tickets/:id/post-mortem/actions/:actionId/done')
  @HttpCode(200)
  @ApiOkResponse({ type: PostMortemAnswerDto })
  @PostMortemActionAnswers()
  @ApiOperation({
    summary: 'Mark an action done',
    description:
      'Marks an open action of the post-mortem done; marking it done again changes nothing.',
  })
  done(
    @Param('id', UuidParamPipe) id: string,
    @Param('actionId', ActionIdParam) actionId: string,
    @Command() context: CommandContext,
  ) {
    return this.send(
      id,
      { type: 'CompletePostMortemAction', data: { actionId: actionId } },
      context,
    );
  }

  @Allow('supervisor')
  @Post('tickets/:id/post-mortem/actions/:actionId/drop')
  @HttpCode(200)
  @ApiOkResponse({ type: PostMortemAnswerDto })
  @PostMortemActionAnswers()
  @ApiOperation({
    summary: 'Drop an action',
    description: 'Drops an open action of the post-mortem, saying why.',
  })
  drop(
    @Param('id', UuidParamPipe) id: string,
    @Param('actionId', ActionIdParam) actionId: string,
    @Body() body: DropActionDto,
    @Command() context: CommandContext,
  ) {
    return this.send(
      id,
      {
        type: 'DropPostMortemAction',
        data: { actionId: actionId, reason: body.reason },
      },
      context,
    );
  }

  @Allow('agent', 'supervisor', 'auditor', 'analyst')
  @Get('tickets/:id/post-mortem')
  @ApiOkResponse({ type: PostMortemViewDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED: the id' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description:
      'POST_MORTEM_NOT_FOUND: none was recorded for the ticket, or there is no such ticket',
  })
  @ApiOperation({
    summary: 'Read a post-mortem',
    description: 'The ticket’s post-mortem, folded from the log, with which actions are overdue.',
  })
  async read(@Param('id', UuidParamPipe) id: string): Promise<PostMortemViewDto> {
    const postMortem = await this.postMortems.read(id);
    if (!postMortem) throw new PostMortemNotFoundError();
    const at = this.clock.now().toISOString();
    const { ticketId, participants, rootCause, wentWell, toImprove, recordedAt, amendedAt } =
      postMortem;
    return {
      ticketId,
      participants,
      rootCause,
      wentWell,
      toImprove,
      recordedAt,
      amendedAt,
      version: postMortem.version,
      status: postMortemStatus(postMortem),
      actions: postMortem.actions.map((action) => ({
        ...action,
        overdue: action.state === 'open' && isOverdue(action.dueDate, at),
      })),
      at,
    };
  }

  @Allow('supervisor', 'auditor', 'analyst')
  @Get('post-mortems')
  @ReadModelAnswers({ invalid: 'state, cursor, limit' })
  @ApiOkResponse({ type: PostMortemListDto })
  @ApiOperation({
    summary: 'List tickets by post-mortem state',
    description:
      'Escalated tickets by post-mortem state, a page at a time: missing (required by POST_MORTEM_REQUIRED, ended, none recorded), open (an action open) or complete.',
  })
  async list(@Query() dto: PostMortemListQueryDto): Promise<PostMortemListDto> {
    await this.readYourWrites.await('post-mortems', dto.after);
    const limit = dto.limit ?? 100;
    const requiredBy = this.config.postMortemRequired;
    const docs = await this.readStore.postMortems({
      state: dto.state,
      limit,
      after: dto.cursor,
      ...(dto.state === 'missing' && { requiredBy, ended: true }),
    });
    const at = this.clock.now().toISOString();
    const last = docs.at(-1);
    return {
      state: dto.state,
      requiredBy: [...requiredBy],
      at,
      items: docs.map((doc) => postMortemListItem(doc, requiredBy, at)),
      nextCursor: docs.length === limit && last ? last.ticketId : null,
    };
  }
}
