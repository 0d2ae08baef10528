import 'reflect-metadata';
import { ConfigError, loadConfig } from '@jicai/common';
import { migrate } from '@jicai/database';

/** Creates the database if missing and runs pending migrations. */
export async function runMigrations(): Promise<void> {
  const config = loadConfig(process.env);
  const ran = await migrate(config.databaseUrl);
  console.log(ran.length ? `migrations run: ${ran.join(', ')}` : 'database is up to date');
}

if (require.main === module) {
  runMigrations().catch((e) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  });
}
