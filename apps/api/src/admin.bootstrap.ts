import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@jicai/common';
import { OrganizationsService } from '@jicai/organizations';

/** Creates the first admin on an empty database (api.md "Conventions"). */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly organizations: OrganizationsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { created, generatedPassword } = await this.organizations.bootstrapAdmin(this.config.adminUsername, this.config.adminPassword, this.config.adminOrg);
    if (!created) return;
    this.logger.log(`Created the first admin ${this.config.adminUsername} in ${this.config.adminOrg}`);
    // Shown this once only (it is stored nowhere but as a hash): ADMIN_PASSWORD was not set.
    if (generatedPassword)
      this.logger.warn(
        `ADMIN_PASSWORD was not set: the first admin ${this.config.adminUsername} has the generated password ${generatedPassword} (shown once; change it with POST /api/v1/auth/password)`,
      );
  }
}
