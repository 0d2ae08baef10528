export * from './organization-import';
export * from './organization-import.service';
export * from './onboarding.module';
