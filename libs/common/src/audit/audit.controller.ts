import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { CurrentUser, Roles } from '../auth/decorators';
import { Principal, Role } from '../auth/roles';
import { KeysetListQueryDto } from '../http/pagination';
import { JobsService, requesterOf } from '../jobs/jobs.service';
import { QueueName } from '../jobs/queues';
import { AUDIT_VERIFY_JOB, AuditVerifyPayload } from './audit.queue';
import { AuditService } from './audit.service';
import { AuditSequencer } from './audit-sequencer';
import { ApiJob, ApiOk, ApiOkKeysetList, Op } from '../http/openapi';
import { AuditEntryDto, ChainCheckDto } from '../http/common.responses';

class AuditQueryDto extends KeysetListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) entity?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) entityId?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly sequencer: AuditSequencer,
    private readonly jobs: JobsService,
  ) {}

  @Roles(Role.ADMIN)
  @Get()
  @Op('listAuditEntries')
  @ApiOkKeysetList(AuditEntryDto)
  async list(@Query() q: AuditQueryDto) {
    // What has committed is listed chained: the sequencer runs now rather than at its next turn.
    await this.sequencer.chainPending();
    return this.audit.list(q);
  }

  /** Chains what has committed, then verifies the whole chain now: {ok, entries, unchained}. */
  @Roles(Role.ADMIN)
  @Get('verify')
  @Op('verifyAuditChain')
  @ApiOk(ChainCheckDto)
  async verify() {
    await this.sequencer.chainPending();
    return this.audit.verify();
  }

  /** The same check as a background job (for very long chains): 202 {jobId}. */
  @Roles(Role.ADMIN)
  @Post('verify')
  @HttpCode(202)
  @Op('startAuditVerification')
  @ApiJob()
  async verifyLater(@CurrentUser() user: Principal) {
    const payload: AuditVerifyPayload = { requestedBy: requesterOf(user) };
    const jobId = await this.jobs.enqueue(QueueName.AUDIT, AUDIT_VERIFY_JOB, payload, { jobId: `verify-${randomUUID()}` });
    return { jobId };
  }
}
