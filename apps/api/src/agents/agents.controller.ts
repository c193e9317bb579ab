import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { agentStreamId, RULE_CODES, type AgentCommand } from '@ledger/domain';
import { READ_STORE, type WorkloadQueries } from '@ledger/read-store';
import { CommandPath } from '../commands/command-path';
import { CommandAnswers } from '../http/command-answers.decorator';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { ReadModelQueryDto } from '../read-models/dto/read-queries.dto';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { Command, type CommandContext } from '../tickets/command-context';
import { PatternParamPipe } from '../http/pattern-param.pipe';
import { AGENT_ID } from './agent.dto';
import { AGENT_KIND } from './agent-kind';
import { AgentAnswerDto, AgentListDto, AvailabilityDto, RegisterAgentDto } from './agent.dto';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { CurrentPrincipal, ensureActingFor } from '../identity/acting-for';
import type { Principal } from '../identity/principal';

/** An agent id in a path, held to the rule a registration is. */
const AgentIdParam = PatternParamPipe('id', AGENT_ID, 'id must be an agent id');

@ApiTags('agents')
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly commands: CommandPath,
    private readonly idempotent: IdempotentCommands,
    @Inject(READ_STORE) private readonly readStore: WorkloadQueries,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  private send(agentId: string, command: AgentCommand, context: CommandContext, status: number) {
    return this.idempotent.run(context, status, async () => {
      const { version, position } = await this.commands.execute(
        AGENT_KIND,
        agentStreamId(agentId),
        command,
        context,
      );
      return { agentId, version, position };
    });
  }

  @Allow('supervisor')
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: AgentAnswerDto })
  @CommandAnswers({
    rules: [RULE_CODES.agentAlreadyExists, 'INVALID_CAPACITY'],
    ifMatch: 'the agent ("0": not registered yet)',
  })
  @ApiOperation({
    summary: 'Register an agent',
    description: 'Registers an agent at a tier, offline until they say otherwise.',
  })
  register(@Body() body: RegisterAgentDto, @Command() context: CommandContext) {
    return this.send(body.agentId, { type: 'RegisterAgent', data: { ...body } }, context, 201);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/availability')
  @HttpCode(200)
  @ApiOkResponse({ type: AgentAnswerDto })
  @CommandAnswers({ notFound: ['AGENT_NOT_FOUND'], ifMatch: 'the agent' })
  @ApiOperation({
    summary: 'Set an agent’s availability',
    description:
      'Online agents receive tickets from the assigner; offline ones keep theirs. An agent’s own credential sets its own availability only.',
  })
  availability(
    @Param('id', AgentIdParam) id: string,
    @Body() body: AvailabilityDto,
    @Command() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
  ) {
    ensureActingFor(principal, id);
    return this.send(id, { type: 'ChangeAgentAvailability', data: { ...body } }, context, 200);
  }

  @Allow('agent', 'supervisor')
  @ApiOkResponse({ type: AgentListDto, description: 'Every agent with their open tickets' })
  @Get()
  @ReadModelAnswers()
  @ApiOperation({
    summary: 'List agents',
    description: 'Every agent with the tickets assigned to them that are still worked on.',
  })
  async list(@Query() dto: ReadModelQueryDto): Promise<AgentListDto> {
    await this.readYourWrites.await('agents', dto.after);
    await this.readYourWrites.await('tier-workload', dto.after);
    const agents = await this.readStore.agents();
    const open = await this.readStore.openTicketsByAgent(agents.map((agent) => agent.agentId));
    return {
      agents: agents.map((agent) => {
        const openTickets = open.get(agent.agentId) ?? [];
        return {
          agentId: agent.agentId,
          name: agent.name,
          tier: agent.tier,
          capacity: agent.capacity,
          availability: agent.availability,
          availabilityChangedAt: agent.availabilityChangedAt,
          open: openTickets.length,
          openTickets,
        };
      }),
    };
  }
}
