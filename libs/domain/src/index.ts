export * from './ticket.values';
export * from './ticket.events';
export * from './ticket.commands';
export * from './ticket.state';
export * from './ticket.decider';
export * from './priority-rules';
export * from './domain-errors';
