import 'reflect-metadata';
// The configuration alone: '@ledger/runtime' would load the stores' clients first.
import { exitOnStartupError, loadConfig } from '@ledger/runtime/config';
import { forkProjectionWorkerEarly } from './projections/worker/fork-worker';

async function main(): Promise<void> {
  // The log, the read models and the first admin key are for this process's user alone.
  process.umask(0o077);
  const config = loadConfig();
  // Loading the modules takes each process most of a second: the projection
  // worker does so now, beside this process, rather than once this one is done.
  const projectionWorker = forkProjectionWorkerEarly(config.projections);
  const { createApp } = await import('./create-app');
  const app = await createApp({ config, projectionWorker });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  console.log(
    `Escalation Ledger listening on http://localhost:${config.port} (data in ${config.dataDir})`,
  );
}

main().catch(exitOnStartupError);
