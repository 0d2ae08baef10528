import { JobRequester } from '../jobs/queues';

export const AUDIT_VERIFY_JOB = 'verify-chain';

export interface AuditVerifyPayload {
  requestedBy: JobRequester;
}
