import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ClockModule } from './clock/clock.module';
import { AuditService } from './audit/audit.service';
import { AuditSequencer } from './audit/audit-sequencer';
import { QueuesModule } from './jobs/queues.module';

/** What every process needs: configuration, clock, JWT, audit log and the queues. */
@Global()
@Module({
  imports: [
    ConfigModule,
    ClockModule,
    QueuesModule,
    JwtModule.registerAsync({
      global: true,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => ({ secret: c.jwtSecret, signOptions: { expiresIn: c.jwtExpiresIn as any } }),
    }),
  ],
  providers: [AuditService, AuditSequencer],
  exports: [AuditService, AuditSequencer, ConfigModule, ClockModule, QueuesModule],
})
export class CoreModule {}
