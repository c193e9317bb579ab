import './styles.css';
import { Api, ApiFailure, explain, SignedOut } from './api';
import type { Alert, KpiAnswer, QuarterlyReview, TierWorkload } from './answers';
import { resizeCharts } from './charts';
import { byId, h } from './dom';
import { DrillDown, type TicketFilters } from './drill-down';
import { formatInstant } from './format';
import {
  renderGroups,
  renderHeadline,
  renderOverTime,
  renderReasons,
  renderRootCauses,
  renderSla,
  renderTiers,
} from './kpi-view';
import { renderAlerts, renderQueues } from './live-panel';
import { watchChanges, type LiveMode } from './live';
import {
  bucketOf,
  defaultPeriod,
  GROUPINGS,
  isGrouping,
  lastDateOf,
  periodOfDates,
  type Grouping,
  type Period,
} from './period';
import {
  finishProviderSignIn,
  startProviderSignIn,
  type ProviderSettings,
} from './provider-sign-in';
import { quarterOf, quartersUpTo } from './quarter';
import { renderReview } from './review-view';
import type { Sort } from './sortable-table';

/** The credential lives in this tab's session storage only: never in a URL, gone with the tab. */
const CREDENTIAL = 'escalation-ledger.credential';
const POLL_MS = 5_000;

const LIVE_MODES: Record<LiveMode, string> = {
  feed: 'Live: updated from the change feed.',
  polling: `Refreshed every ${POLL_MS / 1000} s (the change feed is unavailable).`,
  reconnecting: 'Reconnecting to the change feed…',
};

/** Quarters the review's picker offers, the current one first. */
const QUARTERS_OFFERED = 8;

const drill = new DrillDown();

/** One signed-in session of the dashboard: its reads, its live updates. */
class Session {
  period: Period = defaultPeriod(new Date());
  grouping: Grouping = 'category';
  quarter = quarterOf(new Date());
  sort: Sort = { column: 'tickets', direction: 'descending' };
  private readonly stopped = new AbortController();
  private kpiRequest = 0;
  private reviewRequest = 0;
  private live: { running: boolean; again: boolean; after: string | undefined; timer?: number } = {
    running: false,
    again: false,
    after: undefined,
  };
  private mode: LiveMode | undefined;
  private updatedAt: string | undefined;

  constructor(readonly api: Api) {}

  start(): void {
    showPeriod(this.period, this.grouping);
    byId<HTMLSelectElement>('review-quarter').value = this.quarter;
    void this.loadKpis();
    void this.loadReview();
    void this.refreshLive();
    void this.watch();
  }

  stop(): void {
    this.stopped.abort();
    clearTimeout(this.live.timer);
  }

  async loadKpis(): Promise<void> {
    const request = ++this.kpiRequest;
    const { period, grouping } = this;
    const bucket = bucketOf(period, grouping);
    const kpis = (groupBy: string) =>
      this.api.get<KpiAnswer>('/v1/kpis/escalations', {
        from: period.from,
        to: period.to,
        groupBy,
      });
    const message = byId('kpi-message');
    try {
      const [grouped, overTime] = await Promise.all([
        kpis(grouping),
        bucket === grouping ? undefined : kpis(bucket),
      ]);
      // A later choice of period or grouping has been asked for since: it draws, not this one.
      if (request !== this.kpiRequest || this.stopped.signal.aborted) return;
      message.textContent = '';
      const open = (title: string, filters: TicketFilters) => void drill.open(title, filters);
      renderHeadline(grouped.totals, period, open);
      renderOverTime(overTime ?? grouped, period, bucket);
      renderGroups(grouped, grouping, period, this.sort, (sort) => (this.sort = sort), open);
      renderReasons(grouped.totals);
      renderRootCauses(grouped.totals);
      renderTiers(grouped.totals);
      renderSla(grouped.totals);
      byId('dashboard').dataset.loaded = `${period.from}/${period.to}/${grouping}`;
    } catch (error) {
      if (error instanceof SignedOut || request !== this.kpiRequest) return;
      message.textContent = explain(error, 'the KPIs');
    }
  }

  async loadReview(): Promise<void> {
    const request = ++this.reviewRequest;
    const { quarter } = this;
    const message = byId('review-message');
    try {
      const review = await this.api.get<QuarterlyReview>('/v1/reviews/escalations', { quarter });
      if (request !== this.reviewRequest || this.stopped.signal.aborted) return;
      message.textContent = '';
      renderReview(review);
      byId('review').dataset.loaded = quarter;
    } catch (error) {
      if (error instanceof SignedOut || request !== this.reviewRequest) return;
      message.textContent = explain(error, 'the quarterly review');
    }
  }

  /** Reads the queues and alerts again soon; changes arriving together make one read. */
  private scheduleLive(after: string | undefined): void {
    this.live.after = after;
    if (this.live.timer !== undefined) return;
    this.live.timer = window.setTimeout(() => {
      this.live.timer = undefined;
      void this.refreshLive();
    }, 250);
  }

  private async refreshLive(): Promise<void> {
    if (this.live.running) {
      this.live.again = true;
      return;
    }
    this.live.running = true;
    const after = this.live.after;
    try {
      const read = <T>(path: string) =>
        // After the feed's position: the read model has applied what the feed announced.
        this.api.get<T>(path, { after }).catch((error: unknown) => {
          const unreachable =
            error instanceof ApiFailure && (error.status === 400 || error.status === 504);
          if (after !== undefined && unreachable) return this.api.get<T>(path);
          throw error;
        });
      const [workloads, alerts] = await Promise.allSettled([
        read<{ tiers: TierWorkload[] }>('/v1/workloads'),
        read<{ alerts: Alert[] }>('/v1/alerts'),
      ]);
      if (this.stopped.signal.aborted) return;
      const problems: string[] = [];
      if (workloads.status === 'fulfilled') renderQueues(workloads.value.tiers);
      else if (!(workloads.reason instanceof SignedOut))
        problems.push(explain(workloads.reason, 'the queues'));
      if (alerts.status === 'fulfilled') renderAlerts(alerts.value.alerts);
      else if (!(alerts.reason instanceof SignedOut))
        problems.push(explain(alerts.reason, 'the alerts'));
      byId('live-message').textContent = problems.join(' ');
      this.updatedAt = new Date().toISOString();
      this.showLive();
    } finally {
      this.live.running = false;
      if (this.live.again && !this.stopped.signal.aborted) {
        this.live.again = false;
        void this.refreshLive();
      }
    }
  }

  private async watch(): Promise<void> {
    const { signal } = this.stopped;
    // Start the feed where the queues' read model is, when this key may ask (analysts may).
    const start = await this.api
      .get<{ name: string; position: string | null }[]>('/v1/projections', {}, signal)
      .then(
        (models) => models.find((model) => model.name === 'tier-workload')?.position ?? undefined,
      )
      .catch(() => undefined);
    try {
      await watchChanges({
        api: this.api,
        signal,
        start,
        pollMs: POLL_MS,
        onChanges: (after) => this.scheduleLive(after),
        onMode: (mode) => {
          this.mode = mode;
          this.showLive();
        },
      });
    } catch (error) {
      if (!(error instanceof SignedOut)) throw error;
    }
  }

  private showLive(): void {
    const status = byId('live-status');
    status.dataset.mode = this.mode ?? '';
    const parts = [this.mode ? LIVE_MODES[this.mode] : ''];
    if (this.updatedAt) parts.push(`Last read ${formatInstant(this.updatedAt)}.`);
    status.textContent = parts.join(' ');
  }
}

let session: Session | undefined;

function showPeriod(period: Period, grouping: Grouping): void {
  byId<HTMLInputElement>('period-from').value = period.from.slice(0, 10);
  byId<HTMLInputElement>('period-to').value = lastDateOf(period);
  byId<HTMLSelectElement>('grouping').value = grouping;
  const dashboard = byId('dashboard');
  dashboard.dataset.periodFrom = period.from;
  dashboard.dataset.periodTo = period.to;
  byId('period-text').textContent =
    `Tickets opened from ${formatInstant(period.from)} up to ${formatInstant(period.to)}, grouped by ${grouping}.`;
}

function showSignIn(message = ''): void {
  session?.stop();
  session = undefined;
  drill.close();
  drill.api = undefined;
  sessionStorage.removeItem(CREDENTIAL);
  byId('dashboard').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-message').textContent = message;
  byId<HTMLInputElement>('api-key').focus();
}

/** Checks the credential with a read every role may make, then shows the dashboard. */
async function signIn(credential: string): Promise<void> {
  const refused = () => showSignIn('The server refused this key. Check it and sign in again.');
  const api = new Api(credential, refused);
  try {
    await api.get('/v1/sla-policy');
  } catch (error) {
    if (error instanceof SignedOut) return;
    // Any answer but a 401 means the key is valid; what it may read, each section says.
    if (!(error instanceof ApiFailure)) {
      showSignIn('The server did not answer. Try again.');
      return;
    }
  }
  sessionStorage.setItem(CREDENTIAL, credential);
  byId<HTMLInputElement>('api-key').value = '';
  byId('sign-in').hidden = true;
  byId('sign-in-message').textContent = '';
  byId('dashboard').hidden = false;
  byId('sign-out').hidden = false;
  drill.api = api;
  session = new Session(api);
  session.start();
  byId('main').focus();
}

function setUp(): void {
  const select = byId<HTMLSelectElement>('grouping');
  for (const grouping of GROUPINGS) {
    select.append(h('option', { value: grouping.value }, grouping.label));
  }
  byId('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const credential = byId<HTMLInputElement>('api-key').value.trim();
    if (credential === '') {
      byId('sign-in-message').textContent = 'Enter an API key.';
      return;
    }
    void signIn(credential);
  });
  byId('sign-out').addEventListener('click', () => showSignIn('Signed out.'));
  byId('period-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!session) return;
    const from = byId<HTMLInputElement>('period-from').value;
    const to = byId<HTMLInputElement>('period-to').value;
    const grouping = select.value;
    if (!from || !to || from > to || !isGrouping(grouping)) {
      byId('kpi-message').textContent = 'Choose a first day on or before the last day.';
      return;
    }
    session.period = periodOfDates(from, to);
    session.grouping = grouping;
    showPeriod(session.period, session.grouping);
    void session.loadKpis();
  });
  const quarters = byId<HTMLSelectElement>('review-quarter');
  for (const quarter of quartersUpTo(new Date(), QUARTERS_OFFERED)) {
    quarters.append(h('option', { value: quarter }, quarter));
  }
  byId('review-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!session) return;
    session.quarter = quarters.value;
    void session.loadReview();
  });
  let resizing: number | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = window.setTimeout(resizeCharts, 150);
  });
  void begin();
}

/** GET /dashboard/config.json: whether the identity provider is offered. */
async function providerSettings(): Promise<ProviderSettings | null> {
  try {
    const response = await fetch('/dashboard/config.json');
    if (!response.ok) return null;
    return ((await response.json()) as { oidc: ProviderSettings | null }).oidc;
  } catch {
    return null;
  }
}

async function begin(): Promise<void> {
  const settings = await providerSettings();
  if (settings) {
    const button = byId('provider-button');
    button.textContent = `Sign in with ${new URL(settings.issuer).host}`;
    button.addEventListener('click', () => {
      startProviderSignIn(settings).catch(() => {
        byId('sign-in-message').textContent = 'The identity provider did not answer. Try again.';
      });
    });
    byId('provider-sign-in').hidden = false;
  }
  let token: string | undefined;
  try {
    token = await finishProviderSignIn(settings);
  } catch (error) {
    showSignIn(`Could not sign in with the identity provider: ${(error as Error).message}.`);
    return;
  }
  const stored = token ?? sessionStorage.getItem(CREDENTIAL);
  if (stored) void signIn(stored);
  else showSignIn();
}

setUp();
