import type { ProjectionName } from '@ledger/read-store';

/** A question the API asks its projection worker; the answer comes back under the same id. */
export type WorkerRequest =
  | { id: number; method: 'report' }
  | { id: number; method: 'waitFor'; name: ProjectionName; position: string; timeoutMs: number }
  | { id: number; method: 'startRebuild'; name: ProjectionName }
  | { id: number; method: 'metrics' };

/**
 * From the API to its worker: the go to open the stores and catch up,
 * questions, news of appends (to follow them at once), and the order to stop.
 */
export type ToWorker =
  WorkerRequest | { method: 'start' } | { method: 'appended' } | { method: 'stop' };

/** From the worker to the API: caught up and answering, or an answer (what went wrong, when it could not). */
export type FromWorker =
  { kind: 'ready' } | { kind: 'answer'; id: number; result?: unknown; error?: string };
