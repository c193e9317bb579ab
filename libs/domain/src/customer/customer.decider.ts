import type { CustomerCommand, CustomerEvent } from './customer.events';

/** Null until the customer is erased; no other state is kept. */
export type CustomerState = { erasedAt: string } | null;

export type DatedCustomerEvent = CustomerEvent & { occurredAt: string };

export function evolveCustomer(_state: CustomerState, event: DatedCustomerEvent): CustomerState {
  return { erasedAt: event.occurredAt };
}

/** Erasing is done once: asked again, it records nothing. */
export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  if (state) return [];
  return [{ type: 'CustomerErased', data: { customerId: command.data.customerId } }];
}
