import { Injectable, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisOptions } from './redis';

/** A small connection of its own for the health check, so a probe never queues behind jobs. */
@Injectable()
export class RedisHealth implements OnModuleDestroy {
  private client?: IORedis;

  constructor(private readonly config: AppConfig) {}

  async ping(): Promise<string> {
    this.client ??= new IORedis({ ...(redisOptions(this.config.redisUrl) as any), lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    if (this.client.status === 'wait' || this.client.status === 'end') await this.client.connect();
    return this.client.ping();
  }

  async onModuleDestroy(): Promise<void> {
    this.client?.disconnect();
  }
}
