import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { ChainAudit } from './chain-audit';
import { LedgerSealer } from './ledger-sealer';

/** The log's hash chain over HTTP, its check at start, and its seals where the store needs them. */
@Module({
  controllers: [AuditController],
  providers: [ChainAudit, LedgerSealer],
})
export class AuditModule {}
