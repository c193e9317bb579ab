/**
 * What happens to one ticket: a list of commands, each with the instant it is
 * sent and who sends it. The commands go through the real decider, so the
 * plan only has to be plausible, and it is built so the decider accepts it.
 */

const MINUTE = 60_000;

const CHANNELS = [
  ['email', 34],
  ['chat', 22],
  ['phone', 14],
  ['web', 16],
  ['whatsapp', 9],
  ['social', 5],
];

const CATEGORIES = [
  ['billing', 20],
  ['account', 17],
  ['technical', 22],
  ['shipping', 12],
  ['returns', 9],
  ['product', 10],
  ['security', 4],
  ['integrations', 6],
];

/** An explicit priority for ~40% of tickets; the rest are derived from keywords and VIP. */
const EXPLICIT_PRIORITIES = [
  ['low', 20],
  ['medium', 45],
  ['high', 25],
  ['urgent', 10],
];

const SUBJECTS = {
  billing: [
    'Charged twice for my subscription',
    'Invoice shows the wrong VAT number',
    'Need a refund for last month',
    'Chargeback notice on my card',
    'Cannot update my payment method',
  ],
  account: [
    'Cannot log in after password reset',
    'Two-factor codes never arrive',
    'Please merge my two accounts',
    'Account locked after failed attempts',
    'Change the owner of our workspace',
  ],
  technical: [
    'Dashboard is down for our whole team',
    'Export to CSV times out',
    'App crashes when opening reports',
    'Sync has been stuck since yesterday',
    'API returns 500 on every call',
    'Total outage in the EU region',
  ],
  shipping: [
    'Parcel marked delivered but not received',
    'Tracking number does not work',
    'Wrong address on my order',
    'Delivery is two weeks late',
  ],
  returns: [
    'How do I return a damaged item',
    'Refund not received after return',
    'Return label is missing',
    'Exchange for a different size',
  ],
  product: [
    'Feature request: dark mode',
    'Where is the bulk edit option',
    'Pricing question for the team plan',
    'The new editor is confusing',
  ],
  security: [
    'Possible data breach on our account',
    'Suspicious login from another country',
    'Legal request for data deletion',
    'Phishing mail pretending to be you',
  ],
  integrations: [
    'Slack integration stopped posting',
    'Webhook deliveries failing',
    'Salesforce sync duplicates contacts',
    'SSO with Okta is down',
  ],
};

const SENTENCES = [
  'This started this morning and affects several people on our side.',
  'We already tried clearing the cache and logging in again.',
  'The error message says something went wrong, please try again later.',
  'Our account manager told us to open a ticket here.',
  'It worked fine until the last update.',
  'We need this fixed before the end of the week.',
  'I attached a screenshot of what we see.',
  'Several customers of ours are complaining about it.',
  'Could you please look into it as soon as possible?',
  'The order number is in the subject of the original mail.',
  'This is the third time this month this happens.',
  'We are on the business plan with priority support.',
  'Nothing in the status page mentions a problem.',
  'Happy to jump on a call if that helps.',
];

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Alan',
  'Barbara',
  'Ken',
  'Radia',
  'Edsger',
  'Frances',
  'Donald',
  'Hedy',
  'Tim',
  'Katherine',
  'Dennis',
  'Sophie',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Thompson',
  'Perlman',
  'Dijkstra',
  'Allen',
  'Knuth',
  'Lamarr',
  'Berners-Lee',
  'Johnson',
  'Ritchie',
  'Wilson',
];

const ESCALATION_REASONS = [
  ['complexity', 40],
  ['sla_breach', 20],
  ['customer_request', 15],
  ['authorization', 10],
  ['crisis', 5],
  ['other', 10],
];

const ESCALATION_NOTES = [
  'Reproduced the issue, needs a developer to look at the logs',
  'Checked the account settings and billing history, nothing wrong on our side',
  'Customer asked for a supervisor',
  'Refund above the amount L1 may approve',
  'Restarted the sync job twice, still failing',
  'Affects many customers, needs an incident owner',
];

const NOTES = [
  'Asked the customer for the exact error message',
  'Customer replied with more details',
  'Waiting for the logistics partner to answer',
  'Linked to the known issue in the tracker',
  'Left a voicemail, will try again tomorrow',
  'Shared a workaround, waiting to hear if it helps',
  'Checked with the team lead',
];

const RESOLUTIONS = [
  'Explained the setting that fixes it',
  'Refund issued',
  'Fixed by the deploy of today',
  'Replaced the order',
  'Reset the account and confirmed access',
  'Workaround accepted by the customer',
];

const ROOT_CAUSES = [
  'configuration',
  'bug',
  'user_error',
  'third_party',
  'billing_rule',
  'capacity',
];

const AGENTS = { L1: 120, L2: 40, L3: 16, MANAGEMENT: 4 };
const TIERS = ['L1', 'L2', 'L3', 'MANAGEMENT'];
const CUSTOMERS = 60_000;

function agentOf(r, tier) {
  return `agent-${tier.toLowerCase()}-${String(r.int(1, AGENTS[tier])).padStart(3, '0')}`;
}

/** A fixed property of each customer, so a VIP stays a VIP on all of their tickets. */
function isVip(customer) {
  return Math.imul(customer ^ 0x5bd1e995, 0x9e3779b1) >>> 0 < 0.1 * 4294967296;
}

function customerOf(r) {
  const index = r.int(1, CUSTOMERS);
  return {
    id: `cust-${String(index).padStart(6, '0')}`,
    name: `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[(index >> 4) % LAST_NAMES.length]}`,
    tier: isVip(index) ? 'vip' : 'standard',
  };
}

function description(r) {
  const count = r.int(1, 4);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(r.pick(SENTENCES));
  return parts.join(' ');
}

/**
 * The plan of ticket `ticketId`, opened at `openedAt` (ms). `endsOpen` says
 * whether it must still be open (not resolved, not closed) at the end.
 */
export function planTicket(r, ticketId, openedAt, endsOpen) {
  const steps = [];
  let t = openedAt;
  let tier = 'L1';
  let assignee = null;
  const customer = customerOf(r);
  const later = (meanMinutes) => {
    t += Math.max(MINUTE, Math.round(r.exponential(meanMinutes * MINUTE)));
    return t;
  };
  const agentActor = () => assignee ?? `dispatcher-${tier.toLowerCase()}`;
  const step = (at, actor, type, data) => steps.push({ at, actor, command: { type, data } });
  const assign = (meanMinutes) => {
    let agentId = agentOf(r, tier);
    if (agentId === assignee) agentId = agentOf(r, tier);
    step(later(meanMinutes), `dispatcher-${tier.toLowerCase()}`, 'AssignTicket', { agentId });
    assignee = agentId;
  };
  const note = (meanMinutes) =>
    step(later(meanMinutes), agentActor(), 'AddTicketNote', { body: r.pick(NOTES) });

  const category = r.weighted(CATEGORIES);
  const open = {
    ticketId,
    subject: r.pick(SUBJECTS[category]),
    description: description(r),
    channel: r.weighted(CHANNELS),
    customer,
    category,
  };
  if (r.chance(0.4)) open.priority = r.weighted(EXPLICIT_PRIORITIES);
  step(t, `customer:${customer.id}`, 'OpenTicket', open);

  if (r.chance(0.85)) {
    assign(25);
    if (r.chance(0.75)) {
      step(later(12), agentActor(), 'ChangeTicketStatus', { status: 'in_progress' });
    }
  }
  // Notes fill the history up to ~5 events a ticket on average.
  let notes = 0;
  while (r.chance(0.4)) notes++;
  for (let i = 0; i < notes; i++) note(180);
  if (r.chance(0.2)) {
    step(later(120), agentActor(), 'ChangeTicketStatus', { status: 'pending' });
    step(later(600), agentActor(), 'ChangeTicketStatus', { status: 'in_progress' });
  }

  let escalations = 0;
  if (r.chance(0.15)) {
    const target = r.weighted([
      [undefined, 95],
      ['L3', 3.5],
      ['MANAGEMENT', 1.5],
    ]);
    const escalate = (toTier) => {
      const data = { reason: r.weighted(ESCALATION_REASONS), note: r.pick(ESCALATION_NOTES) };
      if (toTier !== undefined) data.toTier = toTier;
      step(later(300), agentActor(), 'EscalateTicket', data);
      tier = toTier ?? TIERS[TIERS.indexOf(tier) + 1];
      assignee = null;
      escalations++;
      if (r.chance(0.8)) {
        assign(60);
        if (r.chance(0.6)) {
          step(later(20), agentActor(), 'ChangeTicketStatus', { status: 'in_progress' });
        }
      }
    };
    escalate(target);
    if (tier !== 'MANAGEMENT' && r.chance(0.2)) escalate(undefined);
  }
  if (assignee !== null && r.chance(0.08)) assign(240);

  const resolve = () => {
    const data = {
      resolution: r.pick(RESOLUTIONS),
    };
    if (r.chance(0.5)) data.rootCause = r.pick(ROOT_CAUSES);
    const judged = escalations > 0 ? r.chance(0.9) : r.chance(0.1);
    if (judged) data.escalationNecessary = escalations > 0 ? r.chance(0.75) : r.chance(0.5);
    step(later(escalations > 0 ? 1800 : 720), agentActor(), 'ResolveTicket', data);
  };
  const feedback = () => {
    const score =
      escalations > 0
        ? r.weighted([
            [5, 25],
            [4, 25],
            [3, 20],
            [2, 15],
            [1, 15],
          ])
        : r.weighted([
            [5, 38],
            [4, 30],
            [3, 14],
            [2, 9],
            [1, 9],
          ]);
    const data = { score };
    if (r.chance(0.3))
      data.comment = score >= 4 ? 'Thanks, quick and helpful' : 'Took far too long';
    step(later(360), `customer:${customer.id}`, 'RecordFeedback', data);
  };
  const reopen = () =>
    step(later(2880), `customer:${customer.id}`, 'ReopenTicket', {
      reason: 'The problem is back',
    });

  if (endsOpen) {
    if (r.chance(0.06)) {
      resolve();
      if (r.chance(0.3)) feedback();
      reopen();
      if (r.chance(0.5)) note(120);
    }
    return steps;
  }
  if (r.chance(0.06)) {
    step(later(1440), agentActor(), 'CloseTicket', { reason: r.pick(['duplicate', 'spam']) });
    return steps;
  }
  resolve();
  if (r.chance(0.06)) {
    reopen();
    resolve();
  }
  if (r.chance(0.4)) feedback();
  if (r.chance(0.25)) {
    step(later(4320), 'system', 'CloseTicket', r.chance(0.5) ? { reason: 'inactive' } : {});
  }
  return steps;
}
