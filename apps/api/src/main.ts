import 'reflect-metadata';
import { exitOnStartupError, loadConfig } from '@ledger/runtime';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  console.log(
    `Escalation Ledger listening on http://localhost:${config.port} (data in ${config.dataDir})`,
  );
}

main().catch(exitOnStartupError);
