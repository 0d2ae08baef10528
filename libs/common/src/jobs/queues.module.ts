import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { ALL_QUEUES } from './queues';
import { RedisConnections } from './redis';
import { RedisModule } from './redis.module';
import { JobsService } from './jobs.service';
import { RedisHealth } from './redis-health';
import { QueueErrorLog } from './queue-error-log';

/** BullMQ on Redis through ioredis; every queue registered once, for producers and consumers. */
@Global()
@Module({
  imports: [
    RedisModule,
    BullModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, RedisConnections],
      useFactory: (config: AppConfig, redis: RedisConnections) => ({ connection: redis.bull(), prefix: config.queuePrefix }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobsService, RedisHealth, QueueErrorLog],
  exports: [BullModule, RedisModule, JobsService, RedisHealth],
})
export class QueuesModule {}
