import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  customerStreamId,
  decideCustomer,
  evolveCustomer,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
} from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { PERSONAL_DATA, type PersonalData } from '@ledger/runtime';
import { CommandPath } from '../commands/command-path';
import type { StreamKind } from '../commands/stream-kind';
import type { CommandContext } from '../tickets/command-context';

const CUSTOMER_KIND: StreamKind<CustomerCommand, CustomerEvent, CustomerState> = {
  decider: { initialState: () => null, evolve: evolveCustomer, decide: decideCustomer },
};

export interface ErasureAnswer {
  customerId: string;
  erasedAt: string;
  version: number;
  position: string;
}

/**
 * Erasing a customer: their data key is destroyed first, then the erasure is
 * recorded. Should the process stop in between, the data is unreadable
 * already, and erasing again records it.
 */
@Injectable()
export class CustomerErasure implements OnApplicationBootstrap {
  private readonly logger = new Logger('PersonalData');

  constructor(
    private readonly path: CommandPath,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalData,
  ) {}

  onApplicationBootstrap(): void {
    const { masterKeyOrigin, masterKeyGenerated } = this.personalData;
    if (masterKeyGenerated) {
      this.logger.log(
        `Generated the master key in ${masterKeyOrigin} (readable by you only): keep a copy apart from DATA_DIR's backups; without it no personal data can be read`,
      );
    } else {
      this.logger.log(`Personal data keys are wrapped by the master key from ${masterKeyOrigin}`);
    }
  }

  async erase(customerId: string, context: CommandContext): Promise<ErasureAnswer> {
    await this.personalData.erase(customerId);
    const { version, position, state } = await this.path.execute(
      CUSTOMER_KIND,
      customerStreamId(customerId),
      { type: 'EraseCustomer', data: { customerId } },
      context,
    );
    return { customerId, erasedAt: state!.erasedAt, version, position };
  }

  async isErased(customerId: string): Promise<boolean> {
    return (await this.events.readStream(customerStreamId(customerId), { limit: 1 })).length > 0;
  }
}
