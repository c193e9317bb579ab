import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AUTOMATION_ACTOR, type TicketCommand } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { READ_STORE, type LeaseStore } from '@ledger/read-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CLOCK, type Clock } from '../storage/clock';
import { TicketCommands, type CommandAnswer } from '../tickets/ticket-commands';
import { AutomationSnapshot } from './automation-snapshot';
import { AutomationView } from './automation-view';
import { foldLog } from './fold-log';

export const AUTOMATION_LEASE = 'automation';
const LEASE_TTL_MS = 5000;
const RENEW_EVERY_MS = 1000;
/** How often time is looked at when nothing is appended: SLA marks land within this of their instant. */
const TICK_MS = 500;
/** A mark that could not be recorded is tried again after this long. */
const RETRY_MS = 5000;
/** The view is saved this often while the log moves, and at a clean stop. */
const SNAPSHOT_EVERY_MS = 5 * 60_000;
/** The snapshot's file under DATA_DIR. */
export const AUTOMATION_SNAPSHOT_FILE = 'automation-view.snapshot';

/**
 * The SLA clock and the assigner: a process manager over the log. It folds
 * the log into an `AutomationView` and, at each look, records the SLA marks
 * that fell due and gives waiting tickets to free agents, through the same
 * command path as people (every decision is an event marked `auto`).
 * Exactly one process runs it, under a lease; after a restart or a
 * takeover it builds the view again (from its snapshot, if the log still
 * holds it, and the log after it), so it neither repeats a mark (the
 * ticket's own history says it was made) nor forgets one (its deadline is in
 * the log).
 */
@Injectable()
export class Automation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Automation');
  private readonly holder = `automation-${randomUUID()}`;
  private view: AutomationView | undefined;
  private heldUntil = 0;
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private readonly snapshot: AutomationSnapshot;
  /** When the view was last saved, and at which position. */
  private saved: { at: number; position: string | undefined } = { at: 0, position: undefined };

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: LeaseStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tickets: TicketCommands,
  ) {
    this.snapshot = new AutomationSnapshot(join(config.dataDir, AUTOMATION_SNAPSHOT_FILE), events);
  }

  onApplicationBootstrap(): void {
    if (this.config.automation !== 'on') return;
    this.unsubscribe = this.events.onAppended(() => this.look());
    this.timers.push(setInterval(() => void this.renewLease(), RENEW_EVERY_MS));
    this.timers.push(setInterval(() => this.look(), TICK_MS));
    void this.renewLease();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe?.();
    await this.running;
    const held = this.heldUntil > 0;
    // Released first: another process may take over while this one saves.
    if (held) await this.readStore.releaseLease(AUTOMATION_LEASE, this.holder);
    if (held && this.view) await this.save(this.view);
  }

  /** Whether this process holds the lease now (with a margin before it runs out) and is not stopping. */
  get active(): boolean {
    return !this.stopped && Date.now() < this.heldUntil;
  }

  /** Looks now (tests drive it after moving their clock) and resolves once nothing is left to do. */
  async settle(): Promise<void> {
    if (!this.active) await this.renewLease();
    this.look();
    await this.running;
  }

  private async renewLease(): Promise<void> {
    if (this.stopped) return;
    const claimedAt = Date.now();
    try {
      const held = await this.readStore.claimLease(AUTOMATION_LEASE, this.holder, LEASE_TTL_MS);
      // A claim answered after the stop began changes nothing: the stop saves the view as it is.
      if (this.stopped) return;
      // Stop acting a second before another process may take over.
      this.heldUntil = held ? claimedAt + LEASE_TTL_MS - RENEW_EVERY_MS : 0;
    } catch (error) {
      this.heldUntil = 0;
      this.logger.warn(`Could not renew the automation lease: ${(error as Error).message}`);
    }
    // A process that lost the lease may have missed what the other one did: fold afresh when it comes back.
    if (!this.active) this.view = undefined;
    else this.look();
  }

  /** One look at a time; a look asked for during one runs right after it. */
  private look(): void {
    if (this.stopped || !this.active) return;
    if (this.again) return;
    this.again = true;
    this.running = this.running.then(async () => {
      this.again = false;
      try {
        await this.pass();
      } catch (error) {
        this.logger.error(
          `Automation pass failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    });
  }

  private async pass(): Promise<void> {
    if (!this.active) return;
    if (!this.view) {
      const started = Date.now();
      const loaded = await this.snapshot.load();
      this.view = loaded.view ?? new AutomationView();
      // What was just read needs no saving before the log has moved on for a while.
      if (loaded.view) this.saved = { at: Date.now(), position: loaded.view.position };
      const from = loaded.view
        ? `from its snapshot at ${loaded.view.position}`
        : `from its start (snapshot: ${loaded.reason})`;
      await this.catchUp(this.view);
      this.logger.log(
        `Folded the log ${from} up to ${this.view.position ?? 'its start'} in ${Date.now() - started} ms: running the SLA clock and the assigner`,
      );
    }
    await this.act(this.view);
    // After acting, so a save (a second or so for 100k open tickets) never delays a mark.
    if (this.active && Date.now() - this.saved.at >= SNAPSHOT_EVERY_MS) await this.save(this.view);
  }

  /** Records the SLA marks due now, then gives waiting tickets to free agents. */
  private async act(view: AutomationView): Promise<void> {
    await this.catchUp(view);
    const now = this.clock.now().toISOString();
    for (const ticketId of view.takeDueSla(now)) {
      if (!this.active) return;
      const before = view.ticket(ticketId)?.version;
      const answer = await this.send(ticketId, { type: 'CheckSla', data: { now } }, 'sla-clock');
      if (!answer || answer.version === before) {
        view.retryLater(ticketId, new Date(Date.parse(now) + RETRY_MS).toISOString());
      }
    }
    await this.catchUp(view);
    // Each round's choices are counted against capacity until the log shows them.
    const planNow = (view: AutomationView) => view.planAssignments(this.clock.now().toISOString());
    for (let plan = planNow(view); plan.length > 0; plan = planNow(view)) {
      let progressed = false;
      for (const { ticketId, agentId, tier } of plan) {
        if (!this.active) return;
        const before = view.ticket(ticketId)?.version;
        const answer = await this.send(
          ticketId,
          { type: 'AutoAssignTicket', data: { agentId, tier } },
          'assigner',
        );
        if (answer && answer.version !== before) progressed = true;
      }
      await this.catchUp(view);
      if (!progressed) break;
    }
  }

  /** Saves the view when it moved since it was last saved; a failure is logged, never thrown. */
  private async save(view: AutomationView): Promise<void> {
    if (view.position === this.saved.position) return;
    try {
      if (await this.snapshot.save(view)) this.saved = { at: Date.now(), position: view.position };
    } catch (error) {
      // Tried again at the next period, not at every look: a full disk stays full for a while.
      this.saved = { ...this.saved, at: Date.now() };
      this.logger.warn(`Could not save the automation's snapshot: ${(error as Error).message}`);
    }
  }

  private catchUp(view: AutomationView): Promise<void> {
    return foldLog(view, this.events, () => this.stopped);
  }

  private async send(
    ticketId: string,
    command: TicketCommand,
    role: 'sla-clock' | 'assigner',
  ): Promise<CommandAnswer | undefined> {
    try {
      return await this.tickets.execute(ticketId, command, {
        actor: AUTOMATION_ACTOR,
        actorRoles: [],
        automation: role,
        correlationId: randomUUID(),
        commandId: randomUUID(),
      });
    } catch (error) {
      this.logger.warn(`${command.type} on ${ticketId} failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
