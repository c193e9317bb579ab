import { Module, type DynamicModule } from '@nestjs/common';
import { AutomationModule } from '../../automation/automation.module';
import { CommandsModule } from '../../commands/commands.module';
import {
  ObservabilityModule,
  type ObservabilityOptions,
} from '../../observability/observability.module';
import { StorageModule, type StorageOptions } from '../../storage/storage.module';

export interface ProjectionWorkerOptions extends StorageOptions {
  observability: ObservabilityOptions;
}

/**
 * What the projection worker runs: the stores with the projections on its
 * own thread, and the automation (SLA clock and assigner), which acts through
 * the same command path as the API. No HTTP.
 */
@Module({})
export class ProjectionWorkerModule {
  static forRoot(options: ProjectionWorkerOptions): DynamicModule {
    return {
      module: ProjectionWorkerModule,
      imports: [
        StorageModule.forRoot({
          ...options,
          config: { ...options.config, projections: 'in-process' },
        }),
        ObservabilityModule.forRoot(options.observability),
        CommandsModule,
        AutomationModule,
      ],
    };
  }
}
