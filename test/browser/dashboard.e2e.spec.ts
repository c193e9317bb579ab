/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions handed to page.evaluate run in the browser, on its DOM.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@ledger/domain';
import type { Page } from 'playwright-core';
import { buildDashboard } from '../support/dashboard-build';
import { LocalIdentityProvider } from '../support/local-identity-provider';
import { simulateTickets } from '../support/simulated-tickets';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { startApi } from '../e2e/support/e2e-api';
import { openTicket } from '../e2e/support/tickets';
import { chromiumMissing, launchChromium, type Chromium } from './support/chromium';
import { describeUnless } from '../support/describe-unless';

const ROOT = join(__dirname, '..', '..');
/** Screenshots land here, out of version control. */
const OUTPUT = join(ROOT, 'test-output');
const DAY_MS = 86_400_000;

const missing = chromiumMissing();

/** Every number of a group row, by the `data-metric` of its cell. */
const METRICS: Record<string, (group: any) => number | null> = {
  tickets: (group) => group.ticketsOpened,
  escalated: (group) => group.ticketsEscalated,
  escalationRate: (group) => group.escalationRate,
  reEscalationRate: (group) => group.reEscalationRate,
  unnecessaryEscalationRate: (group) => group.unnecessaryEscalationRate,
  p50: (group) => group.escalationToResolution.p50,
  p90: (group) => group.escalationToResolution.p90,
  firstContactResolutionRate: (group) => group.firstContactResolutionRate,
  csatEscalated: (group) => group.csat.escalated.mean,
  csatOther: (group) => group.csat.notEscalated.mean,
};

const FIGURES: Record<string, (totals: any) => number | null> = {
  'kpi-tickets': (totals) => totals.ticketsOpened,
  'kpi-escalated': (totals) => totals.ticketsEscalated,
  'kpi-re-escalation': (totals) => totals.reEscalationRate,
  'kpi-fcr': (totals) => totals.firstContactResolutionRate,
  'kpi-p50': (totals) => totals.escalationToResolution.p50,
  'kpi-p90': (totals) => totals.escalationToResolution.p90,
  'kpi-sla-first-response': (totals) => totals.slaCompliance.firstResponse,
  'kpi-sla-resolution': (totals) => totals.slaCompliance.resolution,
  'kpi-sla-breach': (totals) => totals.slaBreachRate,
  'kpi-auto': (totals) => totals.autoEscalations,
  'kpi-manual': (totals) => totals.manualEscalations,
};

const valueOf = (text: string | null) => (text === 'null' ? null : Number(text));

describeUnless(missing, 'the dashboard in Chromium', () => {
  let api: TestApp;
  let browser: Chromium;
  /** Signed in with an analyst and auditor key: the page most tests read. */
  let page: Page;
  /** Errors and warnings the pages logged, unless a test gave its own log. */
  const problems: string[] = [];
  /** Every request the pages made, with the credential it carried. */
  const requests: { tab: Page; url: string; authorization: string | undefined }[] = [];
  let analystKey: string;

  async function issueKey(roles: Role[]): Promise<{ key: string; keyId: string }> {
    const issued = await api.request('POST', '/v1/keys', { name: roles.join('+'), roles });
    expect(issued.status).toBe(201);
    return issued.body;
  }

  /** A new tab (its own session storage) on the dashboard, its console watched. */
  async function openDashboard(log: string[] = problems): Promise<Page> {
    const tab = await browser.context.newPage();
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        log.push(`${message.type()}: ${message.text()}`);
      }
    });
    tab.on('pageerror', (error) => log.push(`page error: ${error.message}`));
    tab.on('request', (request) =>
      requests.push({ tab, url: request.url(), authorization: request.headers().authorization }),
    );
    await tab.goto(`${api.baseUrl}/dashboard`);
    return tab;
  }

  /** Signs in with the keyboard only: the field has the focus, Enter submits. */
  async function signIn(tab: Page, key: string): Promise<void> {
    await tab.waitForFunction(() => document.activeElement?.id === 'api-key');
    await tab.keyboard.type(key);
    await tab.keyboard.press('Enter');
    await tab.waitForSelector('#dashboard[data-loaded]');
    await tab.waitForSelector('#queue-L1-open');
  }

  beforeAll(async () => {
    buildDashboard();
    mkdirSync(OUTPUT, { recursive: true });
    const now = Date.now();
    const clock = new TestClock(new Date(now - 31 * DAY_MS).toISOString());
    api = await startApi({ clock });
    // A month of a support desk, over HTTP, each command at its own instant.
    await simulateTickets(api, clock, { tickets: 240, days: 30, until: now });
    clock.set(new Date(now).toISOString());
    analystKey = (await issueKey(['analyst', 'auditor'])).key;
    browser = await launchChromium();
    page = await openDashboard();
    await signIn(page, analystKey);
  }, 180_000);

  // Each test answers for what the pages logged while it ran (sign-in included
  // for the first), so an error fails the test that caused it, in any order.
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows only the sign-in form without a credential, and the data routes stay 401', async () => {
    const refused: string[] = [];
    const tab = await openDashboard(refused);

    expect(await tab.isVisible('#sign-in-form')).toBe(true);
    expect(await tab.isHidden('#dashboard')).toBe(true);
    expect(await tab.isHidden('#sign-out')).toBe(true);
    const statuses = await tab.evaluate(() =>
      Promise.all(
        ['/v1/kpis/escalations', '/v1/workloads', '/v1/alerts', '/v1/tickets'].map((path) =>
          fetch(path).then((answer) => answer.status),
        ),
      ),
    );
    expect(statuses).toEqual([401, 401, 401, 401]);
    await tab.close();
  });

  it('keeps the key in session storage and sends it as a bearer token, never in a URL', async () => {
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([analystKey]);
    expect(await page.inputValue('#api-key')).toBe('');
    const reads = requests.filter(
      (request) => request.tab === page && new URL(request.url).pathname.startsWith('/v1/'),
    );
    expect(reads.length).toBeGreaterThan(5);
    expect(requests.filter((request) => request.url.includes('esl_'))).toEqual([]);
    for (const read of reads) expect(read.authorization).toBe(`Bearer ${analystKey}`);
  });

  it('shows the API’s numbers for the period it names, by default the last 30 days up to now', async () => {
    const { from, to } = await page.$eval('#dashboard', (element) => ({
      from: (element as HTMLElement).dataset.periodFrom!,
      to: (element as HTMLElement).dataset.periodTo!,
    }));
    expect(Date.parse(to) - Date.parse(from)).toBe(30 * DAY_MS);
    expect(Math.abs(Date.now() - Date.parse(to))).toBeLessThan(5 * 60_000);
    const answer = await api.request(
      'GET',
      `/v1/kpis/escalations?from=${from}&to=${to}&groupBy=category`,
    );
    const { totals, groups } = answer.body;
    expect(totals.ticketsOpened).toBeGreaterThan(200);

    const headline = await page.$eval('#headline-rate', (element) => ({
      text: element.textContent,
      value: (element as HTMLElement).dataset.value!,
    }));
    expect(Number(headline.value)).toBe(totals.escalationRate);
    expect(headline.text.replace(/\s/g, ' ')).toBe(`${totals.escalationRate} %`);
    for (const [id, pick] of Object.entries(FIGURES)) {
      const shown = await page.$eval(
        `#${id}`,
        (element) => (element as HTMLElement).dataset.value!,
      );
      expect({ id, value: valueOf(shown) }).toEqual({ id, value: pick(totals) });
    }
    const rows = await page.$$eval('#groups tbody tr', (trs) =>
      trs.map((tr) => ({
        key: (tr as HTMLElement).dataset.key,
        cells: Object.fromEntries(
          [...tr.querySelectorAll('td')].map((td) => [td.dataset.metric, td.dataset.value]),
        ),
      })),
    );
    expect(rows.map((row) => row.key).sort()).toEqual(groups.map((group: any) => group.key).sort());
    for (const row of rows) {
      const group = groups.find((candidate: any) => candidate.key === row.key);
      for (const [metric, pick] of Object.entries(METRICS)) {
        expect({ key: row.key, metric, value: valueOf(row.cells[metric]) }).toEqual({
          key: row.key,
          metric,
          value: pick(group),
        });
      }
    }
  });

  it('shows the quarterly review of the quarter picked, by default the current one, as the API answers it', async () => {
    /** Each table's rows, by their name, with every numeric cell by its metric. */
    const tableOf = (id: string) =>
      page.$$eval(`#${id} tbody tr[data-key]`, (trs) =>
        trs.map((tr) => ({
          key: (tr as HTMLElement).dataset.key,
          cells: Object.fromEntries(
            [...tr.querySelectorAll('td')].map((td) => [
              td.dataset.metric,
              td.dataset.value ?? td.textContent,
            ]),
          ),
        })),
      );
    async function expectReview(quarter: string) {
      await page.waitForSelector(`#review[data-loaded="${quarter}"]`);
      const { status, body } = await api.request(
        'GET',
        `/v1/reviews/escalations?quarter=${quarter}`,
      );
      expect(status).toBe(200);
      expect(await tableOf('review-figures')).toEqual(
        body.figures.map((row: any) => ({
          key: row.metric,
          cells: {
            current: String(row.current),
            previous: String(row.previous),
            change: String(row.change),
          },
        })),
      );
      expect((await tableOf('review-root-causes')).map((row) => row.key)).toEqual(
        body.topRootCauses.map((row: any) => row.rootCause),
      );
      for (const row of await tableOf('review-root-causes')) {
        const trend = body.topRootCauses.find((cause: any) => cause.rootCause === row.key);
        expect(row.cells.escalations).toBe(String(trend.escalations));
        expect(row.cells.previous).toBe(String(trend.previous));
      }
      const postMortems = Object.fromEntries(
        (await tableOf('review-post-mortems')).flatMap((row) => Object.entries(row.cells)),
      );
      for (const metric of ['required', 'covered', 'coverage', 'overdueActions']) {
        expect({ metric, value: postMortems[metric] }).toEqual({
          metric,
          value: String(body.postMortems[metric]),
        });
      }
      expect(await tableOf('review-actions')).toEqual(
        body.actionsByOwner.map((row: any) => ({
          key: row.owner,
          cells: { open: String(row.open), overdue: String(row.overdue) },
        })),
      );
      expect((await tableOf('review-repeats')).map((row) => row.key)).toEqual(
        body.repeatEscalations.map((row: any) => row.ticketId),
      );
      return body;
    }
    const now = new Date();
    const current = `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

    const review = await expectReview(current);
    expect(review.figures[0]).toMatchObject({ metric: 'Tickets opened' });
    expect(review.figures[0].current).toBeGreaterThan(0);
    expect(await page.inputValue('#review-quarter')).toBe(current);

    const earlier = review.previousQuarter.label;
    await page.selectOption('#review-quarter', earlier);
    await page.click('#review-form button[type="submit"]');
    await expectReview(earlier);

    await page.selectOption('#review-quarter', current);
    await page.click('#review-form button[type="submit"]');
    await expectReview(current);
  });

  it('draws every chart on its canvas, each with a sentence and a table for those who cannot see it', async () => {
    const charts = await page.$$eval('.chart', (elements) =>
      elements.map((element) => {
        const canvas = element.querySelector('canvas')!;
        const pixels = canvas
          .getContext('2d')!
          .getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted++;
        return {
          label: element.getAttribute('aria-label') ?? '',
          role: element.getAttribute('role'),
          painted,
          rows: element.parentElement!.querySelectorAll('details table tbody tr').length,
        };
      }),
    );

    expect(charts).toHaveLength(4);
    for (const chart of charts) {
      expect(chart.role).toBe('img');
      expect(chart.label.length).toBeGreaterThan(20);
      expect(chart.painted).toBeGreaterThan(1000);
      expect(chart.rows).toBeGreaterThan(0);
    }
  });

  it('sorts the group table from the keyboard, saying how in aria-sort', async () => {
    const button = page.locator('#groups th[data-column="escalationRate"] button');
    await button.focus();
    await page.keyboard.press('Enter');

    const heading = page.locator('#groups th[data-column="escalationRate"]');
    expect(await heading.getAttribute('aria-sort')).toBe('descending');
    const rates = await page.$$eval('#groups tbody td[data-metric="escalationRate"]', (cells) =>
      cells.map((cell) => Number((cell as HTMLElement).dataset.value)),
    );
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(
      await page.evaluate(
        () => (document.activeElement?.closest('th') as HTMLElement)?.dataset.column,
      ),
    ).toBe('escalationRate');

    await page.keyboard.press('Enter');
    expect(await heading.getAttribute('aria-sort')).toBe('ascending');
  });

  it('updates a queue’s count from the change feed, without reloading', async () => {
    // The page also polls every 5 s when it has no feed: a shorter wait proves the feed.
    await page.waitForSelector('#live-status[data-mode="feed"]', { state: 'attached' });
    const before = Number(
      await page.$eval('#queue-L1-open', (cell) => (cell as HTMLElement).dataset.value),
    );

    await openTicket(api, { subject: 'Printer on fire', category: 'hardware' });

    await page.waitForFunction(
      (expected) =>
        (document.getElementById('queue-L1-open') as HTMLElement)?.dataset.value ===
        String(expected),
      before + 1,
      { timeout: 3_000 },
    );
    expect(await page.getAttribute('#live-status', 'data-mode')).toBe('feed');
  });

  it('drills down from a number to its tickets, and from a ticket to its audit trail', async () => {
    const first = page.locator('#groups tbody tr').first();
    const key = await first.getAttribute('data-key');
    const escalated = Number(
      await first.locator('td[data-metric="escalated"]').getAttribute('data-value'),
    );
    await first.locator('td[data-metric="escalated"] button').click();

    const dialog = page.locator('#drill');
    await dialog.locator('tbody tr').first().waitFor();
    const listed = await dialog.locator('tbody tr').count();
    expect(listed).toBe(Math.min(escalated, 25));
    const categories = await dialog.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(categories)).toEqual(new Set([key]));

    await dialog
      .locator('tbody tr')
      .first()
      .getByRole('button', { name: /History of ticket/ })
      .click();
    await dialog.getByRole('button', { name: 'Back to the tickets' }).waitFor();
    const events = await dialog.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(events[0]).toBe('TicketOpened');
    expect(events).toContain('TicketEscalated');

    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
  });

  it('has no serious or critical accessibility violations (axe), tables and dialog included', async () => {
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const scan = () =>
      page.evaluate(async () => {
        const results = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return results.violations
          .filter((violation: any) => ['serious', 'critical'].includes(violation.impact))
          .map(
            (violation: any) =>
              `${violation.id}: ${violation.nodes.map((node: any) => node.target).join(' ')}`,
          );
      });
    await page.$$eval('details', (all) => all.forEach((details) => (details.open = true)));
    expect(await scan()).toEqual([]);

    await page
      .locator('#groups tbody tr')
      .first()
      .locator('td[data-metric="tickets"] button')
      .click();
    await page.locator('#drill tbody tr').first().waitFor();
    expect(await scan()).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('leaves a screenshot of itself for people to look at', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.$$eval('details', (all) => all.forEach((details) => (details.open = false)));
    await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });
  });

  it('shows the period and grouping chosen in the form, an empty period included', async () => {
    /** Submits the form and waits for the page to have drawn what it asked for. */
    async function choose(from: string, to: string, grouping: string) {
      await page.fill('#period-from', from);
      await page.fill('#period-to', to);
      await page.selectOption('#grouping', grouping);
      await page.click('#period-form button[type="submit"]');
      const period = `${from}T00:00:00.000Z/${new Date(Date.parse(to) + DAY_MS).toISOString()}`;
      await page.waitForSelector(`#dashboard[data-loaded="${period}/${grouping}"]`);
    }
    const lastWeek = new Date(Date.now() - 7 * DAY_MS).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);

    await choose(lastWeek, today, 'week');

    const { body } = await api.request(
      'GET',
      `/v1/kpis/escalations?from=${lastWeek}T00:00:00.000Z&to=${new Date(Date.parse(today) + DAY_MS).toISOString()}&groupBy=week`,
    );
    const keys = await page.$$eval('#groups tbody tr', (rows) =>
      rows.map((row) => (row as HTMLElement).dataset.key),
    );
    expect(keys.sort()).toEqual(body.groups.map((group: any) => group.key).sort());
    expect(Number(await page.getAttribute('#kpi-tickets', 'data-value'))).toBe(
      body.totals.ticketsOpened,
    );

    await choose('2020-01-01', '2020-01-31', 'category');

    expect(await page.getAttribute('#headline-rate', 'data-value')).toBe('0');
    expect(await page.textContent('#headline-band')).toMatch(/No ticket/);
    expect(await page.locator('#groups tbody tr').count()).toBe(0);
  });

  it('goes back to the sign-in form when its key stops being accepted', async () => {
    const revoked = await issueKey(['analyst']);
    const refused: string[] = [];
    const tab = await openDashboard(refused);
    await signIn(tab, revoked.key);

    expect((await api.request('DELETE', `/v1/keys/${revoked.keyId}`)).status).toBe(200);

    await tab.waitForSelector('#sign-in-form', { state: 'visible', timeout: 15_000 });
    expect(await tab.isHidden('#dashboard')).toBe(true);
    expect(await tab.textContent('#sign-in-message')).toMatch(/refused/);
    expect(await tab.evaluate(() => sessionStorage.length)).toBe(0);
    await tab.close();
  });
});

describeUnless(missing, 'the dashboard signing in through the identity provider', () => {
  let provider: LocalIdentityProvider;
  let api: TestApp;
  let browser: Chromium;

  beforeAll(async () => {
    buildDashboard();
    provider = await LocalIdentityProvider.start();
    provider.signInAs = { sub: 'ana', aud: 'ledger-api', roles: ['analyst'] };
    api = await startApi({
      config: {
        auth: {
          oidc: {
            issuer: provider.issuer,
            audience: 'ledger-api',
            rolesClaim: 'roles',
            agentClaim: 'sub',
            clientId: 'escalation-dashboard',
          },
        },
      },
    });
    await openTicket(api, { subject: 'Cannot log in', category: 'account' });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await provider?.close();
  });

  it('offers the provider, comes back signed in with its token as the bearer, and shows data', async () => {
    const problems: string[] = [];
    const tab = await browser.context.newPage();
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const urls: string[] = [];
    const bearers: (string | undefined)[] = [];
    tab.on('request', (request) => {
      urls.push(request.url());
      if (new URL(request.url()).pathname.startsWith('/v1/'))
        bearers.push(request.headers().authorization);
    });
    await tab.goto(`${api.baseUrl}/dashboard`);

    const button = tab.getByRole('button', {
      name: `Sign in with ${new URL(provider.issuer).host}`,
    });
    await button.click();
    await tab.waitForSelector('#dashboard[data-loaded]', { timeout: 10_000 }).catch(async () => {
      throw new Error(
        `not signed in: ${tab.url()} ${await tab.textContent('#sign-in-message')} ${problems.join(' | ')} ${provider.refusedTokens.join(',')}`,
      );
    });

    expect(await tab.getAttribute('#kpi-tickets', 'data-value')).toBe('1');
    expect(new URL(tab.url()).search).toBe('');
    expect(provider.refusedTokens).toEqual([]);
    const [token] = await tab.evaluate(() => Object.values(sessionStorage));
    expect(token.split('.')).toHaveLength(3);
    expect(bearers.length).toBeGreaterThan(3);
    for (const bearer of bearers) expect(bearer).toBe(`Bearer ${token}`);
    expect(urls.filter((url) => url.includes(token))).toEqual([]);
    const authorize = new URL(urls.find((url) => url.startsWith(provider.authorizationEndpoint))!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${api.baseUrl}/dashboard`);
    expect(problems).toEqual([]);
    await tab.close();
  });

  it('refuses a return whose state it did not send', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${api.baseUrl}/dashboard?code=stolen&state=guessed`);

    await tab.waitForFunction(() =>
      /state does not match/.test(document.getElementById('sign-in-message')?.textContent ?? ''),
    );
    expect(new URL(tab.url()).search).toBe('');
    expect(await tab.isHidden('#dashboard')).toBe(true);
    await tab.close();
  });
});
