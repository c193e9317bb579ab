import { AppendListeners, ForwardingEventStore, type AppendListener } from '@ledger/event-store';

/**
 * The log as the projection worker reads it: its store sees appends made by
 * the API's process only when it next polls the file, so the API tells the
 * worker of each one, and `nudge` wakes whoever follows the log at once.
 */
export class NudgedEventStore extends ForwardingEventStore {
  private readonly listeners = new AppendListeners();

  override onAppended(listener: AppendListener): () => void {
    const fromLog = this.inner.onAppended(listener);
    const fromNudges = this.listeners.add(listener);
    return () => {
      fromLog();
      fromNudges();
    };
  }

  nudge(): void {
    this.listeners.notify();
  }
}
