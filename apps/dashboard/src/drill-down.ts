import { explain, SignedOut, type Api } from './api';
import type { HistoryPage, TicketPage, TicketView } from './answers';
import { byId, fill, h } from './dom';
import { formatInstant } from './format';
import { captionedTable } from './sortable-table';

/** What a number counts, as GET /v1/tickets filters. */
export interface TicketFilters {
  tier?: string;
  status?: string;
  priority?: string;
  category?: string;
  channel?: string;
  assigneeId?: string;
  customerId?: string;
  openedFrom?: string;
  openedTo?: string;
  escalated?: boolean;
}

const PAGE = 25;

/** A short, readable summary of an event's data for the history table. */
function dataText(data: unknown): string {
  const text = JSON.stringify(data) ?? '';
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/**
 * The drill-down: from a number to the list of its tickets, and from a ticket
 * to its history, in a modal dialog (the browser keeps the focus in it, and
 * Escape closes it). Reads GET /v1/tickets and GET /v1/tickets/:id/history,
 * which need a role that reads tickets (auditor, agent, supervisor, admin).
 */
export class DrillDown {
  private readonly dialog = byId<HTMLDialogElement>('drill');
  private readonly title = byId('drill-title');
  private readonly body = byId('drill-body');
  private readonly message = byId('drill-message');
  private list:
    { title: string; filters: TicketFilters; rows: TicketView[]; next: string | null } | undefined;

  /** Who reads: the signed-in credential's client. */
  api: Api | undefined;

  constructor() {
    byId('drill-close').addEventListener('click', () => this.close());
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  async open(title: string, filters: TicketFilters): Promise<void> {
    this.list = { title, filters, rows: [], next: null };
    fill(this.title, title);
    fill(this.body);
    this.message.textContent = '';
    if (!this.dialog.open) this.dialog.showModal();
    await this.more();
  }

  private async more(): Promise<void> {
    const list = this.list!;
    if (!this.api) return;
    try {
      const page = await this.api.get<TicketPage>('/v1/tickets', {
        ...list.filters,
        limit: PAGE,
        cursor: list.next ?? undefined,
      });
      list.rows.push(...page.items);
      list.next = page.nextCursor;
      this.showList();
    } catch (error) {
      if (error instanceof SignedOut) return;
      this.message.textContent = explain(error, 'tickets');
    }
  }

  private showList(): void {
    const list = this.list!;
    fill(this.title, list.title);
    const rows = list.rows.map((ticket) => {
      const history = h(
        'button',
        { type: 'button', class: 'link', 'aria-label': `History of ticket ${ticket.ticketId}` },
        'History',
      );
      history.addEventListener('click', () => void this.history(ticket));
      return h(
        'tr',
        { 'data-ticket': ticket.ticketId },
        h('th', { scope: 'row' }, formatInstant(ticket.openedAt)),
        h('td', {}, ticket.subject),
        h('td', {}, ticket.category),
        h('td', {}, ticket.priority),
        h('td', {}, ticket.tier),
        h('td', {}, ticket.status),
        h('td', {}, ticket.assigneeId ?? '—'),
        h('td', {}, ticket.escalationCount),
        h('td', {}, history),
      );
    });
    const table = captionedTable(
      `${list.rows.length} ticket${list.rows.length === 1 ? '' : 's'}${list.next ? ' so far' : ''}, newest first`,
      [
        'Opened',
        'Subject',
        'Category',
        'Priority',
        'Tier',
        'Status',
        'Assignee',
        'Escalations',
        'Audit trail',
      ],
      rows,
    );
    const more = list.next
      ? h('button', { type: 'button', class: 'more' }, 'Show more tickets')
      : null;
    more?.addEventListener('click', () => void this.more());
    fill(this.body, table, more);
  }

  private async history(ticket: TicketView): Promise<void> {
    if (!this.api) return;
    const events: HistoryPage['events'] = [];
    let after = 0;
    this.message.textContent = '';
    try {
      // A ticket's history is short; pages of 1,000 until the last.
      for (let pages = 0; pages < 20; pages++) {
        const page = await this.api.get<HistoryPage>(
          `/v1/tickets/${encodeURIComponent(ticket.ticketId)}/history`,
          {
            after,
            limit: 1000,
          },
        );
        events.push(...page.events);
        if (page.next === undefined) break;
        after = page.next;
      }
    } catch (error) {
      if (error instanceof SignedOut) return;
      this.message.textContent = explain(error, 'the ticket’s history');
      return;
    }
    fill(this.title, `History of “${ticket.subject}”`);
    const back = h('button', { type: 'button', class: 'quiet' }, 'Back to the tickets');
    back.addEventListener('click', () => this.showList());
    const table = captionedTable(
      `${events.length} events of ticket ${ticket.ticketId}, oldest first`,
      ['#', 'When', 'Event', 'By', 'Data'],
      events.map((event) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, event.version),
          h('td', {}, formatInstant(event.occurredAt)),
          h('td', {}, event.type),
          h('td', {}, event.automation ? `${event.actor} (${event.automation})` : event.actor),
          h('td', {}, h('pre', {}, dataText(event.data))),
        ),
      ),
    );
    fill(this.body, back, table);
    back.focus();
  }
}
