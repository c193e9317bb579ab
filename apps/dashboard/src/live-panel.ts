import type { Alert, TierWorkload } from './answers';
import { byId, figure, fill, h } from './dom';
import { formatCount, formatInstant } from './format';
import { captionedTable } from './sortable-table';

const ALERT_KINDS: Record<Alert['kind'], string> = {
  sla_breach: 'SLA breached',
  sla_warning: 'SLA at risk',
  idle: 'Idle',
  post_mortem_missing: 'Post-mortem missing',
  action_overdue: 'Action overdue',
};
const SHOWN_ALERTS = 20;

export function renderQueues(tiers: readonly TierWorkload[]): void {
  const count = (tier: TierWorkload, field: 'open' | 'unassigned' | 'pending') =>
    figure('td', tier[field], formatCount(tier[field]), { id: `queue-${tier.tier}-${field}` });
  fill(
    byId('queues'),
    captionedTable(
      'Tier queues: tickets neither resolved nor closed',
      ['Tier', 'Open', 'Unassigned', 'Pending', 'Oldest opened (UTC)'],
      tiers.map((tier) =>
        h(
          'tr',
          { 'data-tier': tier.tier },
          h('th', { scope: 'row' }, tier.tier),
          count(tier, 'open'),
          count(tier, 'unassigned'),
          count(tier, 'pending'),
          h(
            'td',
            {},
            tier.oldestOpenedAt ? tier.oldestOpenedAt.slice(0, 16).replace('T', ' ') : '—',
          ),
        ),
      ),
    ),
  );
}

export function renderAlerts(alerts: readonly Alert[]): void {
  const shown = alerts.slice(0, SHOWN_ALERTS);
  fill(
    byId('alerts'),
    captionedTable(
      h(
        'caption',
        { id: 'alert-count', 'data-value': String(alerts.length) },
        alerts.length === 0
          ? 'Alerts: none'
          : `Alerts: ${formatCount(alerts.length)}${alerts.length > shown.length ? `, the newest ${shown.length} shown` : ''}`,
      ),
      ['Alert', 'Since', 'Ticket', 'Priority', 'Tier'],
      shown.map((alert) =>
        h(
          'tr',
          {},
          h(
            'th',
            { scope: 'row' },
            ALERT_KINDS[alert.kind] + (alert.target ? ` (${alert.target.replace(/_/g, ' ')})` : ''),
          ),
          h('td', {}, formatInstant(alert.since)),
          h('td', {}, h('span', { title: alert.ticketId }, alert.ticketId.slice(0, 8))),
          h('td', {}, alert.priority),
          h('td', {}, alert.tier),
        ),
      ),
    ),
  );
}
