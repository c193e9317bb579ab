import type { Command } from 'commander';
import { verifyLog } from '@ledger/event-store';
import { CliError, UsageError } from '../cli-error';
import { withStores } from '../cli-stores';
import { print } from '../options';

interface VerifyOptions {
  position?: string;
  hash?: string;
}

const POSITION = /^(0|[1-9]\d*)(\/(0|[1-9]\d*))?$/;
const HASH = /^[0-9a-fA-F]{64}$/;

/**
 * `ledger verify [--position P --hash H]`: the log's hash chain, as
 * `GET /v1/audit/verify` answers it (docs/audit.md). Exits 1 when it is broken.
 */
export function registerVerify(ledger: Command): void {
  ledger
    .command('verify')
    .description('verify the log’s hash chain, and that it extends a receipt when one is given')
    .option('--position <position>', 'a receipt’s position (GET /v1/audit/head)')
    .option('--hash <hash>', 'that receipt’s hash')
    .action(async (options: VerifyOptions) => {
      if ((options.position === undefined) !== (options.hash === undefined)) {
        throw new UsageError('a receipt is --position and --hash together');
      }
      if (options.position !== undefined && !POSITION.test(options.position)) {
        throw new UsageError('--position must be a position of the log, such as 1024');
      }
      if (options.hash !== undefined && !HASH.test(options.hash)) {
        throw new UsageError('--hash must be 64 hexadecimal digits');
      }
      const receipt =
        options.position !== undefined
          ? { position: options.position, hash: options.hash!.toLowerCase() }
          : undefined;
      const result = await withStores({ existing: true }, ({ events }) =>
        verifyLog(events, receipt),
      );
      await print(`${JSON.stringify(result)}\n`);
      if (!result.ok) {
        const at = result.firstBroken;
        throw new CliError(
          `the chain is broken at ${at ? `${at.streamId} version ${at.version} (position ${at.position}): ${at.reason}` : 'an unknown event'}`,
        );
      }
    });
}
