import { parentPort, workerData } from 'node:worker_threads';
import type { ChainReceipt } from '../chain/chain-verification';
import { verifySqliteLogFile } from './sqlite-chain';

/** What the thread is started with (`workerData`). */
export interface ChainThreadInput {
  file: string;
  receipt?: ChainReceipt;
}

/** Its one message: the verification, or why there is none. */
export type ChainThreadAnswer =
  { verification: Awaited<ReturnType<typeof verifySqliteLogFile>> } | { error: string };

// The entry of the thread verifyInThread starts: one verification, answered, then the end.
if (parentPort) {
  const port = parentPort;
  const { file, receipt } = workerData as ChainThreadInput;
  verifySqliteLogFile(file, receipt).then(
    (verification) => port.postMessage({ verification } satisfies ChainThreadAnswer),
    (error: unknown) =>
      port.postMessage({
        error: error instanceof Error ? error.message : String(error),
      } satisfies ChainThreadAnswer),
  );
}
