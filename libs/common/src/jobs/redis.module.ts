import { Global, Module } from '@nestjs/common';
import { RedisConnections } from './redis';

/** The BullMQ connection (single node or cluster), for BullModule's root options and flow producers. */
@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
