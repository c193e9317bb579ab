import { Module } from '@nestjs/common';
import { SlaPolicies } from './sla-policies';
import { SlaPolicyController } from './sla-policy.controller';

/** The SLA policy in force, its history, and the route that changes it. */
@Module({
  controllers: [SlaPolicyController],
  providers: [SlaPolicies],
  exports: [SlaPolicies],
})
export class SlaPolicyModule {}
