export * from './organization.entity';
export * from './user.entity';
export * from './organizations.service';
export * from './organizations.module';
export * from './organization-queries';
export * from './accounts.service';
export * from './sessions.service';
export * from './dto/organization.responses';
