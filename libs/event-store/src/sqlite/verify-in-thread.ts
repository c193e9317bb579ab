import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChainReceipt, ChainVerification, VerifyOptions } from '../chain/chain-verification';
import type { ChainThreadAnswer, ChainThreadInput } from './chain-thread';

/** The thread's built entry, beside this file's build. */
export const CHAIN_THREAD_ENTRY = join(__dirname, 'chain-thread.js');

/**
 * Verifies the log in `file` in a worker thread with a read-only connection
 * of its own: hashing a million events takes seconds of CPU, which would
 * otherwise be taken from the requests of the thread that serves them. An
 * abort ends the thread, and rejects once it has ended.
 */
export function verifyInThread(
  file: string,
  receipt: ChainReceipt | undefined,
  options: VerifyOptions = {},
  entry = CHAIN_THREAD_ENTRY,
): Promise<ChainVerification> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const input: ChainThreadInput = { file, ...(receipt && { receipt }) };
    const thread = new Worker(entry, { workerData: input });
    let aborted = false;
    // Settled at its exit: a caller that closes the log next meets no reader of it.
    const onAbort = () => {
      aborted = true;
      void thread.terminate();
    };
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      finish();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    thread.once('message', (answer: ChainThreadAnswer) =>
      settle(() =>
        'error' in answer ? reject(new Error(answer.error)) : resolve(answer.verification),
      ),
    );
    thread.once('error', (error) => settle(() => reject(error)));
    thread.once('exit', (code) =>
      settle(() =>
        reject(
          aborted
            ? signal!.reason
            : new Error(`the verification thread ended (exit code ${code}) without an answer`),
        ),
      ),
    );
  });
}
