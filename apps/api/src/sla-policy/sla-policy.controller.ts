import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandAnswers } from '../http/command-answers.decorator';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { Command, type CommandContext } from '../tickets/command-context';
import { SlaPolicies } from './sla-policies';
import { SlaPolicyDto, toSlaPolicy } from './sla-policy.dto';
import { SlaPolicyChangedDto, SlaPolicyVersionsDto, SlaPolicyViewDto } from './sla-policy-view.dto';
import { Allow } from '../identity/access.decorator';

@ApiTags('SLA policy')
@Controller('v1/sla-policy')
export class SlaPolicyController {
  constructor(
    private readonly policies: SlaPolicies,
    private readonly idempotent: IdempotentCommands,
  ) {}

  @Allow('agent', 'supervisor', 'auditor', 'analyst')
  @ApiOkResponse({ type: SlaPolicyViewDto, description: 'The policy in force' })
  @Get()
  @ApiOperation({
    summary: 'Read the SLA policy',
    description:
      'The policy in force, read from the log: version 0 is the default, until one is set.',
  })
  async current() {
    return this.policies.current();
  }

  @Allow('agent', 'supervisor', 'auditor', 'analyst')
  @ApiOkResponse({
    type: SlaPolicyVersionsDto,
    description: 'Every version of the policy, oldest first',
  })
  @Get('versions')
  @ApiOperation({
    summary: 'List SLA policy versions',
    description:
      'Every version of the policy, oldest first: what a ticket’s sla.policyVersion names.',
  })
  async versions() {
    return { versions: await this.policies.versions() };
  }

  @Allow()
  @ApiOkResponse({
    type: SlaPolicyChangedDto,
    description: 'The policy now in force, with the position of its event',
  })
  @Put()
  @CommandAnswers({ ifMatch: 'the SLA policy stream' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set the SLA policy',
    description: 'Sets the policy for tickets opened from now on; open tickets keep theirs.',
  })
  async change(@Body() body: SlaPolicyDto, @Command() context: CommandContext) {
    return this.idempotent.run(context, 200, async () => {
      const { policy, position } = await this.policies.change(
        { type: 'ChangeSlaPolicy', data: toSlaPolicy(body) },
        context,
      );
      return { ...policy, position };
    });
  }
}
