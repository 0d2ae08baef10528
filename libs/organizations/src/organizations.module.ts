import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionValidator } from '@jicai/common';
import { Organization } from './organization.entity';
import { User } from './user.entity';
import { OrganizationsService } from './organizations.service';
import { AccountsService } from './accounts.service';
import { PasswordHasher } from './password-hasher';
import { LoginThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';
import { AuthController, OrganizationsController } from './organizations.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Organization, User])],
  controllers: [AuthController, OrganizationsController],
  providers: [
    OrganizationsService,
    AccountsService,
    PasswordHasher,
    LoginThrottle,
    SessionsService,
    { provide: SessionValidator, useExisting: SessionsService },
  ],
  exports: [OrganizationsService, SessionValidator],
})
export class OrganizationsModule {}
