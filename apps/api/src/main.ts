import 'reflect-metadata';
import { exitOnStartupError, loadConfig } from '@ledger/runtime';
import { createApp } from './create-app';

async function main(): Promise<void> {
  // The log, the read models and the first admin key are for this process's user alone.
  process.umask(0o077);
  const config = loadConfig();
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  console.log(
    `Escalation Ledger listening on http://localhost:${config.port} (data in ${config.dataDir})`,
  );
}

main().catch(exitOnStartupError);
