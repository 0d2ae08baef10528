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
    const created = await this.organizations.bootstrapAdmin(this.config.adminUsername, this.config.adminPassword, this.config.adminOrg);
    if (created) this.logger.log(`Created the first admin ${this.config.adminUsername} in ${this.config.adminOrg}`);
  }
}
