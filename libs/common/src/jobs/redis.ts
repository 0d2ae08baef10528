import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions, RedisOptions } from 'bullmq';
import IORedis, { Cluster, RedisOptions as IORedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

/**
 * Connection options from REDIS_URL. BullMQ workers need maxRetriesPerRequest null: a command
 * waits (in ioredis' offline queue) through a Redis restart instead of failing, and the client
 * reconnects by itself (ioredis' retryStrategy, forever).
 */
export function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

export type RedisClient = IORedis | Cluster;
type RedisTarget = Pick<AppConfig, 'redisUrl' | 'redisClusterNodes'>;

/**
 * A Redis client of the platform: the single node of REDIS_URL, or, with REDIS_CLUSTER_NODES, an
 * ioredis Cluster over those seed nodes (REDIS_URL then gives the nodes' credentials and TLS).
 * `overrides` are per-node options (e.g. maxRetriesPerRequest); enableOfflineQueue and
 * lazyConnect apply to the cluster as a whole.
 */
export function createRedisClient(target: RedisTarget, overrides: Partial<IORedisOptions> = {}): RedisClient {
  const options = { ...(redisOptions(target.redisUrl) as IORedisOptions), ...overrides };
  if (!target.redisClusterNodes) return new IORedis(options);
  const { host: _host, port: _port, db: _db, enableOfflineQueue, lazyConnect, ...nodeOptions } = options;
  return new Cluster(target.redisClusterNodes, {
    redisOptions: nodeOptions,
    enableOfflineQueue: enableOfflineQueue ?? true,
    lazyConnect: lazyConnect ?? false,
    // A master restarting or failing over: retry a command instead of failing it at once.
    retryDelayOnClusterDown: 300,
    retryDelayOnFailover: 300,
    retryDelayOnTryAgain: 300,
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
  });
}

/**
 * BullMQ's connection (queues, workers, flow producers). On a single node: options, so each
 * queue and worker opens its own connections as before. On a cluster: one shared ioredis
 * Cluster (BullMQ accepts a cluster only as an instance); the queues use it, each worker
 * duplicates it for its blocking connections, and it is closed here at shutdown.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private shared?: Cluster;

  constructor(private readonly config: AppConfig) {}

  bull(): ConnectionOptions {
    if (!this.config.redisClusterNodes) return redisOptions(this.config.redisUrl);
    this.shared ??= createRedisClient(this.config) as Cluster;
    return this.shared as unknown as ConnectionOptions;
  }

  onApplicationShutdown(): void {
    this.shared?.disconnect();
  }
}
