import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidInputError, minutesOfDay } from '@ledger/domain';
import { ApiError } from '../http/api-error';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { Command, type CommandContext } from '../tickets/command-context';
import { SlaPolicies } from './sla-policies';
import { SlaPolicyDto, slaPolicyView, toSlaPolicy } from './sla-policy.dto';

@ApiTags('SLA policy')
@Controller('v1/sla-policy')
export class SlaPolicyController {
  constructor(
    private readonly policies: SlaPolicies,
    private readonly idempotent: IdempotentCommands,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The policy in force: version 0 is the default, until one is set' })
  async current() {
    return slaPolicyView(await this.policies.current());
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every version, oldest first: what a ticket’s sla.policyVersion names' })
  async versions() {
    return { versions: (await this.policies.versions()).map(slaPolicyView) };
  }

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sets the policy for tickets opened from now on; open tickets keep theirs',
  })
  async change(@Body() body: SlaPolicyDto, @Command() context: CommandContext) {
    const wrongHours = (body.calendar?.hours ?? []).flatMap((hours, index) =>
      minutesOfDay(hours.closes) <= minutesOfDay(hours.opens)
        ? [
            {
              field: `calendar.hours.${index}`,
              message: `calendar.hours.${index} closes before it opens`,
            },
          ]
        : [],
    );
    if (wrongHours.length > 0) throw ApiError.validation(wrongHours);
    return this.idempotent.run(context, 200, async () => {
      try {
        const { policy, position } = await this.policies.change(
          { type: 'ChangeSlaPolicy', data: toSlaPolicy(body) },
          context,
        );
        return { ...slaPolicyView(policy), position };
      } catch (error) {
        throw error instanceof InvalidInputError ? inRequestTerms(error) : error;
      }
    });
  }
}

/** The domain keeps opening hours by weekday (`calendar.weekly`); the request lists them as `calendar.hours`. */
function inRequestTerms(error: InvalidInputError): ApiError {
  return ApiError.validation(
    error.problems.map(({ field, message }) => ({
      field: field.startsWith('calendar.weekly') ? 'calendar.hours' : field,
      message,
    })),
  );
}
