import {
  ERASED,
  isCustomerErased,
  personalFieldPaths,
  schemaVersionOf,
  type FieldPath,
} from '@ledger/domain';
import {
  ForwardingEventStore,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@ledger/event-store';
import { UnreadablePersonalDataError } from './errors';
import { EVERY_ELEMENT, expandPath, fieldName, valueAt, withValueAt } from './field-paths';
import { customerKeyId, type KeyLookup, type KeyRing } from './key-ring';
import {
  isClearField,
  isStoredField,
  sealText,
  unsealText,
  UnsealError,
  type ErasedField,
  type StoredField,
} from './sealing';
import { RecentlySealed } from './recently-sealed';
import { StreamCustomers } from './stream-customers';
import { upcast } from './upcasters';

/** A key as a read found it; `unwrappable`: stored, but the master key does not open it. */
type FoundKey = KeyLookup | { state: 'unwrappable' };

interface FoundKeys {
  byKid: Map<string, FoundKey>;
  /** The key of each stream whose fields were written in the clear (schema 1). */
  clearKid: Map<string, string>;
}

/**
 * The personal fields of `event` on its stream, each `*` of their paths
 * expanded to the elements its data holds.
 */
function personalFieldsOf(
  event: { type: string; data: unknown },
  streamId: string,
): readonly FieldPath[] {
  const paths = personalFieldPaths(event.type, streamId);
  // Most paths name one field: only those through an array need expanding.
  if (!paths.some((path) => path.includes(EVERY_ELEMENT))) return paths;
  return paths.flatMap((path) => expandPath(event.data, path));
}

/** The customer a stream is for, from the event that opens it (a post-mortem's: each recording). */
function customerOfOpening(event: { type: string; data: unknown }): string | undefined {
  const id =
    event.type === 'TicketOpened'
      ? valueAt(event.data, ['customer', 'id'])
      : event.type === 'PostMortemRecorded'
        ? valueAt(event.data, ['customerId'])
        : undefined;
  return typeof id === 'string' ? id : undefined;
}

export interface PersonalDataEventStoreOptions {
  /**
   * Whether this process reads back the events it appends, as projections in
   * the same process do (true unless said otherwise): then it keeps the text of
   * the fields it sealed last, for a few seconds, instead of decrypting them
   * again. Where the projections run elsewhere that is work for nothing.
   */
  readsBackWhatItSeals?: boolean;
}

/**
 * The log as every reader should see it: personal fields are sealed with
 * the customer's data key on the way in, so the store below (and whatever
 * copies or hashes it) holds only ciphertext; on the way out every event is
 * upcast to its current schema, then unsealed, or shown as ERASED once its
 * customer's key is destroyed. Ids, tiers, reasons, priorities, categories,
 * times and scores pass in the clear.
 */
export class PersonalDataEventStore extends ForwardingEventStore {
  /** Which customer each ticket stream is for: a note is sealed with its ticket's customer's key. */
  private readonly customers = new StreamCustomers();
  private readonly recentlySealed: RecentlySealed | undefined;

  constructor(
    inner: EventStore,
    private readonly keys: KeyRing,
    options: PersonalDataEventStoreOptions = {},
  ) {
    super(inner);
    if (options.readsBackWhatItSeals ?? true) this.recentlySealed = new RecentlySealed();
  }

  /**
   * An append goes to one stream, so its personal fields are all one
   * customer's: sealed at once when their key is held in memory, as it
   * nearly always is, else once the customer and the key are looked up.
   */
  override append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    for (const event of events) {
      if (event.type !== 'CustomerErased') continue;
      const appended = { ...event, streamId };
      if (isCustomerErased(appended)) {
        this.recentlySealed?.forgetKey(customerKeyId(appended.data.customerId));
      }
    }
    if (!events.some((event) => personalFieldsOf(event, streamId).length > 0)) {
      return this.inner.append(streamId, events, expected);
    }
    const opening = events.map(customerOfOpening).find((id) => id !== undefined);
    const customerId = opening ?? this.customers.get(streamId);
    const kid = customerId === undefined ? undefined : customerKeyId(customerId);
    const held = kid === undefined ? undefined : this.keys.held(kid);
    if (kid !== undefined && held !== undefined) {
      return this.appendSealed(streamId, events, expected, kid, held, opening);
    }
    return this.lookUpAndAppend(streamId, events, expected, opening);
  }

  private async lookUpAndAppend(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
    opening: string | undefined,
  ): Promise<AppendResult> {
    const kid = customerKeyId(opening ?? (await this.customerOf(streamId)));
    const lookup = await this.keys.forWriting(kid);
    return this.appendSealed(streamId, events, expected, kid, lookup, opening);
  }

  private async appendSealed(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
    kid: string,
    lookup: KeyLookup,
    opening: string | undefined,
  ): Promise<AppendResult> {
    const sealed = events.map((event) => this.seal(event, streamId, kid, lookup));
    const result = await this.inner.append(streamId, sealed, expected);
    // Only once stored: a refused opening may name another customer than the ticket's.
    if (opening !== undefined) this.customers.set(streamId, opening);
    return result;
  }

  override async readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    return this.reveal(await this.inner.readStream(streamId, options));
  }

  override async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.reveal(await this.inner.readAll(options));
  }

  override async close(): Promise<void> {
    await this.inner.close();
    await this.keys.close();
  }

  private seal(event: NewEvent, streamId: string, kid: string, lookup: KeyLookup): NewEvent {
    const paths = personalFieldsOf(event, streamId);
    if (paths.length === 0) return event;
    let data = event.data;
    for (const path of paths) {
      const text = valueAt(data, path);
      // Absent, or sealed already: a stored event copied as it is.
      if (typeof text !== 'string') continue;
      const erased: ErasedField = { enc: 'erased', kid };
      let field: StoredField = erased;
      if (lookup.state === 'live') {
        field = sealText(lookup.key, kid, text);
        this.recentlySealed?.remember(field, text);
      }
      data = withValueAt(data, path, field);
    }
    return {
      ...event,
      data,
      metadata: { ...event.metadata, schemaVersion: schemaVersionOf(event.type) },
    };
  }

  /**
   * Upcasts the events, finds every key their fields need (from memory,
   * nearly always), then opens the fields without a wait in between.
   */
  private async reveal(stored: RecordedEvent[]): Promise<RecordedEvent[]> {
    const events = stored.map((event) => {
      if (isCustomerErased(event)) {
        const kid = customerKeyId(event.data.customerId);
        this.keys.forget(kid);
        this.recentlySealed?.forgetKey(kid);
      }
      const opening = customerOfOpening(event);
      if (opening !== undefined) this.customers.set(event.streamId, opening);
      return upcast(event);
    });
    const keys = await this.keysFor(events);
    return events.map((event) => this.revealEvent(event, keys));
  }

  /** By key id, each key the events' fields need; by stream, the key of its fields in the clear. */
  private async keysFor(events: RecordedEvent[]): Promise<FoundKeys> {
    const found: FoundKeys = { byKid: new Map(), clearKid: new Map() };
    const sealedKids = new Set<string>();
    for (const event of events) {
      for (const path of personalFieldsOf(event, event.streamId)) {
        const value = valueAt(event.data, path);
        if (isStoredField(value) && value.enc === 'v1') sealedKids.add(value.kid);
        if (isClearField(value) && !found.clearKid.has(event.streamId)) {
          // Written before fields were sealed: shown unless the customer was erased since.
          found.clearKid.set(event.streamId, customerKeyId(await this.customerOf(event.streamId)));
        }
      }
    }
    for (const kid of [...sealedKids, ...found.clearKid.values()]) {
      if (found.byKid.has(kid)) continue;
      found.byKid.set(kid, this.keys.held(kid) ?? (await this.find(kid, sealedKids.has(kid))));
    }
    return found;
  }

  private async find(kid: string, sealedWithIt: boolean): Promise<FoundKey> {
    try {
      const lookup = await this.keys.forReading(kid);
      // Remembered as unknown, it may have been made since by another process.
      return lookup.state === 'unknown' && sealedWithIt
        ? await this.keys.forReading(kid, true)
        : lookup;
    } catch (error) {
      if (error instanceof UnsealError) return { state: 'unwrappable' };
      throw error;
    }
  }

  private revealEvent(event: RecordedEvent, keys: FoundKeys): RecordedEvent {
    const paths = personalFieldsOf(event, event.streamId);
    if (paths.length === 0) return event;
    let data = event.data;
    for (const path of paths) {
      const value = valueAt(data, path);
      if (value === undefined) continue;
      data = withValueAt(data, path, this.revealField(event, path, value, keys));
    }
    return { ...event, data };
  }

  private revealField(
    event: RecordedEvent,
    path: FieldPath,
    value: unknown,
    keys: FoundKeys,
  ): string {
    const unreadable = (reason: string) =>
      new UnreadablePersonalDataError(event.streamId, event.version, fieldName(path), reason);
    if (isClearField(value)) {
      const kid = keys.clearKid.get(event.streamId)!;
      return keys.byKid.get(kid)!.state === 'erased' ? ERASED : value.text;
    }
    if (!isStoredField(value)) throw unreadable('it is not a sealed field');
    if (value.enc === 'erased') return ERASED;
    const key = keys.byKid.get(value.kid)!;
    switch (key.state) {
      case 'erased':
        return ERASED;
      case 'unknown':
        throw unreadable(
          `the key store has no key ${value.kid}: it is not the store this log was written with`,
        );
      case 'unwrappable':
        throw unreadable(`its data key ${value.kid} does not unwrap`);
      case 'live':
        try {
          return this.recentlySealed?.textOf(value) ?? unsealText(key.key, value);
        } catch (error) {
          if (error instanceof UnsealError) throw unreadable(error.message);
          throw error;
        }
    }
  }

  /** The customer a ticket's or a post-mortem's stream is for, from its opening. */
  private async customerOf(streamId: string): Promise<string> {
    const known = this.customers.get(streamId);
    if (known !== undefined) return known;
    const [first] = await this.inner.readStream(streamId, { limit: 1 });
    const customerId = first && customerOfOpening(first);
    if (customerId === undefined) {
      throw new Error(
        `${streamId} does not start with a TicketOpened or a PostMortemRecorded: whose data is it?`,
      );
    }
    this.customers.set(streamId, customerId);
    return customerId;
  }
}
