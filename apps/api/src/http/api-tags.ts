/** The tags of the OpenAPI document, in the order a reader meets them: what each controller's routes are for. */
export const API_TAGS: readonly { name: string; description: string }[] = [
  { name: 'ticket commands', description: 'Open, assign, escalate, resolve and close tickets' },
  { name: 'tickets', description: 'Search tickets, read one as it is or was, and its history' },
  { name: 'queues', description: 'The tickets waiting in each tier' },
  { name: 'workloads', description: 'Open, unassigned and pending tickets per tier and agent' },
  { name: 'kpis', description: 'Escalation KPIs over the tickets opened in a period' },
  { name: 'agents', description: 'Register agents and set their availability' },
  { name: 'alerts', description: 'SLA breaches and warnings, idle tickets, post-mortems due' },
  { name: 'post-mortems', description: 'The post-mortems of escalated tickets and their actions' },
  { name: 'reviews', description: 'The quarterly escalation review' },
  {
    name: 'SLA policy',
    description: 'The SLA targets tickets are opened under, and their versions',
  },
  { name: 'customers', description: 'Erase a customer’s personal data' },
  { name: 'feed', description: 'The log’s events as they are appended, as Server-Sent Events' },
  { name: 'audit', description: 'The log’s hash chain: receipts and verification' },
  { name: 'projections', description: 'The read models’ positions, and rebuilding one' },
  { name: 'access', description: 'Issue, list and revoke API keys' },
  { name: 'health', description: 'Liveness and readiness, for probes' },
  { name: 'operations', description: 'Metrics for Prometheus' },
  { name: 'dashboard', description: 'The analysts’ dashboard: its page, script and style' },
];
