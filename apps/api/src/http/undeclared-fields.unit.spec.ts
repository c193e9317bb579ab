import { SlaPolicyDto } from '../sla-policy/sla-policy.dto';
import { OpenTicketDto } from '../tickets/dto/open-ticket.dto';
import { undeclaredFields } from './undeclared-fields';

const OPEN = { subject: 'Down', channel: 'chat', customer: { id: 'c-1' }, category: 'access' };
const TARGETS = { firstResponseMinutes: 60, resolutionMinutes: 600 };

function fieldsOf(dto: Parameters<typeof undeclaredFields>[0], json: string): string[] {
  return undeclaredFields(dto, JSON.parse(json)).map((error) => error.field);
}

describe('the undeclared fields of a request', () => {
  it('are none in a body of declared fields', () => {
    expect(undeclaredFields(OpenTicketDto, OPEN)).toEqual([]);
  });

  it('include those named like members of every object', () => {
    const json = `{"constructor": 1, "toString": 2, "prototype": 3, ${JSON.stringify(OPEN).slice(1)}`;

    expect(fieldsOf(OpenTicketDto, json)).toEqual(['constructor', 'toString', 'prototype']);
  });

  it('are named by their path in a nested object', () => {
    const json = JSON.stringify({ ...OPEN, customer: { id: 'c-1', valueOf: 1 } });

    expect(fieldsOf(OpenTicketDto, json)).toEqual(['customer.valueOf']);
  });

  it('are named by their index in an array of objects', () => {
    const hours: object[] = [{ day: 1, opens: '09:00', closes: '17:00' }, { hasOwnProperty: 1 }];
    const targets = { urgent: TARGETS, high: TARGETS, medium: TARGETS, low: TARGETS };
    const json = JSON.stringify({ targets, calendar: { timeZone: 'UTC', hours } });

    expect(fieldsOf(SlaPolicyDto, json)).toEqual(['calendar.hours.1.hasOwnProperty']);
  });

  it('are looked for only where the DTO expects an object', () => {
    const json = JSON.stringify({ ...OPEN, subject: { constructor: 1 }, customer: 'c-1' });

    expect(fieldsOf(OpenTicketDto, json)).toEqual([]);
  });
});
