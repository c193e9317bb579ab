import { ERASED, withoutPersonalData } from '../personal-data';
import { deciderSpecification } from '../testing/decider-specification';
import type { Ticket } from '../ticket.state';
import { decideCustomer, evolveCustomer, type CustomerState } from './customer.decider';
import type { CustomerEvent } from './customer.events';

const { given } = deciderSpecification({
  initialState: (): CustomerState => null,
  evolve: evolveCustomer,
  decide: decideCustomer,
});

const erase = { type: 'EraseCustomer', data: { customerId: 'c-1' } } as const;
const erased: CustomerEvent = { type: 'CustomerErased', data: { customerId: 'c-1' } };

describe('erasing a customer', () => {
  it('records the erasure', () => {
    given([]).when(erase).then([erased]);
  });

  it('records nothing the second time', () => {
    given([erased]).when(erase).then([]);
  });
});

describe('a ticket without personal data', () => {
  const ticket = {
    ticketId: 't-1',
    subject: 'Cannot log in',
    description: 'Since Monday',
    customer: { id: 'c-1', name: 'Ada', tier: 'vip' },
    category: 'account',
    priority: 'high',
  } as unknown as Ticket;

  it('shows its subject, description and customer name as erased, and keeps the rest', () => {
    expect(withoutPersonalData(ticket)).toEqual({
      ...ticket,
      subject: ERASED,
      description: ERASED,
      customer: { id: 'c-1', name: ERASED, tier: 'vip' },
    });
  });

  it('gives no name to a customer who never gave one', () => {
    const nameless = { ...ticket, customer: { id: 'c-1', tier: 'standard' as const } };
    expect(withoutPersonalData(nameless).customer).toEqual({ id: 'c-1', tier: 'standard' });
  });
});
