import { join } from 'node:path';
import { startCommandLoad } from '../crash/support/command-load';
import { nth } from '../support/elements';
import { projectionsAt, readSide } from '../crash/support/read-side';
import { ledgerOk, readLog, restoreMasterKey, scratch, sleep } from './support/ledger-cli';

const { dataDir, startApi } = scratch();
// Without the automation, nothing but the load and the rebuild writes.
const NO_AUTOMATION = { AUTOMATION: 'off' };

it('takes a backup while the API writes that restores to a store whose read models a rebuild makes again', async () => {
  const source = dataDir();
  const api = await startApi(source, NO_AUTOMATION);
  const load = startCommandLoad(api, 8);
  await sleep(1_000);
  const before = (await readLog(source)).length;
  const archive = join(dataDir(), 'under-load.tar');

  await ledgerOk(source, ['backup', '--out', archive]);

  await sleep(500);
  load.killing();
  expect((await load.finished).unexpected).toEqual([]);
  const written = await readLog(source);
  await api.kill();

  const restored = dataDir();
  await ledgerOk(restored, ['restore', archive]);
  restoreMasterKey(source, restored);
  const log = await readLog(restored);
  // One moment of a log that grew before and after it.
  expect(log.length).toBeGreaterThan(before);
  expect(log.length).toBeLessThan(written.length);
  expect(log).toEqual(written.slice(0, log.length));

  // The read models as backed up, caught up from their own checkpoints, then rebuilt from the log.
  const restoredApi = await startApi(restored, NO_AUTOMATION);
  const head = nth(log, -1).position;
  const tickets = [
    ...new Set(log.filter((e) => e.type === 'TicketOpened').map((e) => e.streamId.slice(7))),
  ];
  await projectionsAt(restoredApi, head);
  const asBackedUp = await readSide(restoredApi, tickets);
  await ledgerOk(restored, ['rebuild', '--all']);
  await projectionsAt(restoredApi, head);
  expect(await readSide(restoredApi, tickets)).toEqual(asBackedUp);
  expect((await readLog(restored)).length).toBe(log.length);
}, 120_000);
