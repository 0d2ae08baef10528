import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public, RedisHealth, HealthDto, Op } from '@jicai/common';
import { ApiResponse } from '@nestjs/swagger';

const logger = new Logger('Health');

/**
 * up or down, nothing more: the reason (host names, ports, driver messages) goes to the log,
 * never to this unauthenticated answer.
 */
async function probe(name: string, check: () => Promise<unknown>): Promise<{ status: 'up' | 'down' }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)))]);
    return { status: 'up' };
  } catch (e) {
    logger.warn(`${name} is down: ${(e as Error).message}`);
    return { status: 'down' };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealth,
  ) {}

  /** No auth. 200 when MySQL and Redis answer, 503 otherwise. */
  @Public()
  @Get()
  @Op('getHealth', 'Database and Redis status (no auth); 503 when one is down')
  @ApiResponse({ status: 200, type: HealthDto })
  @ApiResponse({ status: 503, type: HealthDto, description: 'a dependency is down' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await Promise.all([probe('database', () => this.dataSource.query('SELECT 1')), probe('redis', () => this.redis.ping())]);
    const ok = database.status === 'up' && redis.status === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'error', database, redis };
  }
}
