import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../http/error-body.dto';
import type { Role } from '@ledger/domain';
import { ApiError } from '../http/api-error';
import { CommandAnswers } from '../http/command-answers.decorator';
import { Command, type CommandContext } from '../tickets/command-context';
import { Allow } from './access.decorator';
import {
  ApiKeyDto,
  ApiKeyListDto,
  describeKey,
  IssueApiKeyDto,
  IssuedApiKeyDto,
} from './api-key.dto';
import { PatternParamPipe } from '../http/pattern-param.pipe';
import { KEY_ID } from './api-key.dto';
import { ApiKeys } from './api-keys';

const KeyIdParam = PatternParamPipe('keyId', KEY_ID, 'keyId must be a key id');

function rolesOf(body: IssueApiKeyDto): Role[] {
  if ((body.roles === undefined) === (body.role === undefined)) {
    throw ApiError.validation([{ field: 'roles', message: 'send either roles or role' }]);
  }
  return [...new Set(body.roles ?? [body.role!])];
}

@ApiTags('access')
@Controller('v1/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Allow('admin')
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  @CommandAnswers({ rules: ['KEY_ALREADY_EXISTS'], ifMatch: 'the access stream' })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED: a field, or an Idempotency-Key (a secret is shown once)',
  })
  @ApiOperation({
    summary: 'Issue an API key',
    description:
      'Issues a key with the roles given; its secret is in this answer and nowhere else, ever.',
  })
  async issue(@Body() body: IssueApiKeyDto, @Command() context: CommandContext) {
    if (context.idempotency) {
      throw ApiError.validation([
        {
          field: 'Idempotency-Key',
          message: 'a key is issued once: its secret cannot be answered again',
        },
      ]);
    }
    const { key, secret } = await this.keys.issue(
      {
        name: body.name,
        roles: rolesOf(body),
        ...(body.agentId !== undefined && { agentId: body.agentId }),
      },
      context,
    );
    return { ...describeKey(key), key: secret };
  }

  @Allow('admin')
  @Get()
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiOperation({
    summary: 'List API keys',
    description: 'Every key issued, revoked ones included; never a secret.',
  })
  async list() {
    return { keys: (await this.keys.list()).map(describeKey) };
  }

  @Allow('admin')
  @Delete(':keyId')
  @HttpCode(200)
  @ApiOkResponse({ type: ApiKeyDto })
  @CommandAnswers({
    rules: ['LAST_ADMIN_KEY (issue another admin key before revoking this one)'],
    notFound: ['KEY_NOT_FOUND'],
    ifMatch: 'the access stream',
  })
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'Revokes a key: it is refused from the next request on, by every API process.',
  })
  async revoke(@Param('keyId', KeyIdParam) keyId: string, @Command() context: CommandContext) {
    return describeKey(await this.keys.revoke(keyId, context));
  }
}
