import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig(process.env, new Logger('Config')) }],
  exports: [AppConfig],
})
export class ConfigModule {}
