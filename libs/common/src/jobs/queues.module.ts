import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { ALL_QUEUES } from './queues';
import { redisOptions } from './redis';
import { JobsService } from './jobs.service';
import { RedisHealth } from './redis-health';

/** BullMQ on Redis through ioredis; every queue registered once, for producers and consumers. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ connection: redisOptions(config.redisUrl), prefix: config.queuePrefix }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobsService, RedisHealth],
  exports: [BullModule, JobsService, RedisHealth],
})
export class QueuesModule {}
