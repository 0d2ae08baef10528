import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Cluster as IORedisCluster } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { createRedisClient, RedisClient } from './redis';

/**
 * A small connection of its own for the health check, so a probe never queues behind jobs:
 * without an offline queue a command fails at once while Redis is unreachable, and the client
 * keeps reconnecting by itself, so the probe answers up again as soon as Redis is back.
 * On a cluster every master must answer.
 */
@Injectable()
export class RedisHealth implements OnModuleDestroy {
  private client?: RedisClient;

  constructor(private readonly config: AppConfig) {}

  async ping(): Promise<string> {
    this.client ??= createRedisClient(this.config, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    const c = this.client;
    if (c.status === 'wait' || c.status === 'end') await c.connect();
    if (c instanceof IORedisCluster) {
      const masters = c.nodes('master');
      if (!masters.length) throw new Error('no cluster master known');
      await Promise.all(masters.map((n) => n.ping()));
      return 'PONG';
    }
    return c.ping();
  }

  async onModuleDestroy(): Promise<void> {
    this.client?.disconnect();
  }
}
