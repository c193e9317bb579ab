/**
 * A customer's stream records only their erasure: what is known of a customer
 * otherwise lives on their tickets.
 */
export type CustomerErased = {
  type: 'CustomerErased';
  data: { customerId: string };
};

export type CustomerEvent = CustomerErased;

export type EraseCustomer = { type: 'EraseCustomer'; data: { customerId: string } };

export type CustomerCommand = EraseCustomer;

const CUSTOMER_STREAM_PREFIX = 'customer-';

export function customerStreamId(customerId: string): string {
  return `${CUSTOMER_STREAM_PREFIX}${customerId}`;
}

export function isCustomerErased(event: {
  streamId: string;
  type: string;
}): event is { streamId: string } & CustomerErased {
  return event.type === 'CustomerErased' && event.streamId.startsWith(CUSTOMER_STREAM_PREFIX);
}
