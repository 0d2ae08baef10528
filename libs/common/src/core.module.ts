import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
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
      useFactory: (c: AppConfig) => {
        // The HMAC key object made once. Given a string, jsonwebtoken makes it on every sign and
        // verify, first trying it as a PEM public key, which throws: the largest cost of an
        // authenticated request in the bench's CPU profile. Same bytes, so the same tokens.
        const key = createSecretKey(Buffer.from(c.jwtSecret, 'utf8'));
        return { secretOrKeyProvider: () => key, signOptions: { expiresIn: c.jwtExpiresIn as any } };
      },
    }),
  ],
  providers: [AuditService, AuditSequencer],
  exports: [AuditService, AuditSequencer, ConfigModule, ClockModule, QueuesModule],
})
export class CoreModule {}
