import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka.health';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';

/**
 * `/health/live` and `/health/ready` for an app, ready when each of `indicators` is up. The
 * database and Kafka indicators are provided here; others come from `imports`.
 */
const OWN_INDICATORS: Type<ReadinessIndicator>[] = [DatabaseHealthIndicator, KafkaHealthIndicator];

@Module({})
export class HealthModule {
  static forRoot(options: {
    indicators: Type<ReadinessIndicator>[];
    imports?: ModuleMetadata['imports'];
  }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        // Only those asked for: the Kafka one needs the Kafka client, which the api does not have.
        ...OWN_INDICATORS.filter((indicator) => options.indicators.includes(indicator)),
        {
          provide: READINESS_INDICATORS,
          inject: options.indicators,
          useFactory: (...indicators: ReadinessIndicator[]) => indicators,
        },
      ],
    };
  }
}
