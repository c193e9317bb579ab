import { Module } from '@nestjs/common';
import { CustomerErasure } from './customer-erasure';
import { CustomersController } from './customers.controller';

/** A customer's erasure, and whether one was erased: what a new ticket is checked against. */
@Module({
  controllers: [CustomersController],
  providers: [CustomerErasure],
  exports: [CustomerErasure],
})
export class CustomersModule {}
