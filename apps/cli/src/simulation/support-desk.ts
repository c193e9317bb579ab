import type { Channel, EscalationReason, Priority, Tier } from '@ledger/domain';

/**
 * What a simulated support desk talks about. Some subjects carry the
 * default priority keywords (down, outage, breach, legal, refund,
 * chargeback), so priorities are derived as the API derives them.
 */
export const CHANNEL_MIX: readonly (readonly [Channel, number])[] = [
  ['email', 32],
  ['chat', 24],
  ['web', 17],
  ['phone', 13],
  ['whatsapp', 9],
  ['social', 5],
];

export const SUBJECTS_BY_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  billing: [
    'Invoice total does not match the quote',
    'Please refund the duplicate payment',
    'Card declined at renewal',
    'Chargeback opened by our bank',
    'Need invoices addressed to our new entity',
  ],
  login: [
    'Locked out after changing my email',
    'Password reset link has expired',
    'Authenticator app lost with my old phone',
    'Single sign-on loops back to the login page',
  ],
  orders: [
    'Order stuck in processing for four days',
    'Received the wrong colour',
    'Courier says the address does not exist',
    'Half of the order is missing',
  ],
  platform: [
    'Reports page is down since the release',
    'Outage: nothing loads for our EU users',
    'Scheduled exports arrive empty',
    'Mobile app freezes on the calendar view',
    'Search returns results from last week only',
  ],
  privacy: [
    'Possible breach: an unknown admin appeared',
    'Legal hold request for two mailboxes',
    'Delete my personal data, please',
  ],
  onboarding: [
    'How do we invite the rest of the team',
    'Import from our old tool fails halfway',
    'Which plan includes audit logs',
  ],
};

export const CATEGORY_MIX: readonly (readonly [string, number])[] = [
  ['billing', 21],
  ['login', 18],
  ['orders', 19],
  ['platform', 24],
  ['privacy', 5],
  ['onboarding', 13],
];

export const DETAILS = [
  'It started right after lunch.',
  'Two colleagues see the same thing.',
  'Nothing changed on our side as far as I know.',
  'We already restarted the browser and cleared cookies.',
  'Screenshots are attached.',
  'Our contract renews next month, so this matters.',
  'The reference from your last reply did not help.',
  'Please call me back rather than email.',
  'We are a team of forty people.',
  'It happens every time, not now and then.',
];

/** When a ticket is opened with a priority chosen by the person who logs it. */
export const CHOSEN_PRIORITIES: readonly (readonly [Priority, number])[] = [
  ['low', 22],
  ['medium', 48],
  ['high', 22],
  ['urgent', 8],
];

/** Why people escalate; the SLA clock escalates with `sla_breach` on its own. */
export const MANUAL_ESCALATIONS: readonly (readonly [EscalationReason, number])[] = [
  ['complexity', 46],
  ['customer_request', 17],
  ['authorization', 14],
  ['other', 11],
  ['crisis', 6],
  ['sla_breach', 6],
];

export const ESCALATION_NOTES: Readonly<Record<EscalationReason, readonly string[]>> = {
  complexity: [
    'Reproduced it; the logs point at the sync service',
    'Beyond the runbook: needs someone who knows the data model',
  ],
  customer_request: ['The customer asked for a specialist', 'Customer wants a manager on the call'],
  authorization: ['Credit above what this tier may grant', 'Account change needs sign-off'],
  crisis: ['Many customers affected: needs an incident lead'],
  sla_breach: ['About to miss the target, handing over'],
  other: ['Handing over after the shift change', 'Needs a second pair of eyes'],
};

export const WORK_NOTES = [
  'Asked for the exact time it happened',
  'Customer sent a screen recording',
  'Checked the audit trail of the account',
  'Waiting for the payment provider',
  'Suggested a workaround meanwhile',
  'Matched it to a known issue',
  'Called, no answer; emailed instead',
];

export const RESOLUTIONS = [
  'Corrected the account settings',
  'Refunded and confirmed with the customer',
  'Fixed by today’s release',
  'Reshipped the missing items',
  'Restored access after identity check',
  'Explained the feature, customer satisfied',
];

export const ROOT_CAUSES = ['setting', 'defect', 'operator_error', 'vendor', 'policy', 'load'];

export const FEEDBACK_COMMENTS = {
  happy: ['Quick and friendly, thank you', 'Solved on the first try'],
  unhappy: ['Had to explain it three times', 'Took much longer than promised'],
};

const FIRST_NAMES = [
  'Noor',
  'Mateo',
  'Ines',
  'Kwame',
  'Yuki',
  'Lena',
  'Omar',
  'Priya',
  'Tomas',
  'Zoe',
  'Arjun',
  'Mira',
];
const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Haddad',
  'Novak',
  'Reyes',
  'Bauer',
  'Singh',
  'Costa',
  'Ivanova',
  'Walsh',
];

export function personName(index: number): string {
  return `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]}`;
}

/** How a desk of `agents` people splits over the tiers: most at L1, at least one everywhere. */
export function staffing(agents: number): Record<Tier, number> {
  const l2 = Math.max(1, Math.round(agents * 0.25));
  const l3 = Math.max(1, Math.round(agents * 0.13));
  const management = Math.max(1, Math.round(agents * 0.05));
  return { L1: agents - l2 - l3 - management, L2: l2, L3: l3, MANAGEMENT: management };
}
