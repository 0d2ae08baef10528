import { createConnection } from 'mysql2/promise';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../database/migrations';
import { parseDatabaseUrl } from '@jicai/common';

/**
 * TypeORM over mysql2. The schema changes only through migrations (database/migrations);
 * synchronize is always off. Times are UTC; DECIMAL comes back as strings (never floats).
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const db = parseDatabaseUrl(databaseUrl);
  return {
    type: 'mysql',
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    extra: { connectionLimit: 20, decimalNumbers: false, supportBigNumbers: true, bigNumberStrings: false },
  };
}

/** CREATE DATABASE IF NOT EXISTS, so a fresh machine needs nothing prepared by hand. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const db = parseDatabaseUrl(databaseUrl);
  const conn = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const db = parseDatabaseUrl(databaseUrl);
  const conn = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  } finally {
    await conn.end();
  }
}

/** Creates the database if missing and runs pending migrations; returns their names. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const ds = new DataSource(dataSourceOptions(databaseUrl));
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
