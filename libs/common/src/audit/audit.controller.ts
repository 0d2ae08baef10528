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
    private readonly jobs: JobsService,
  ) {}

  @Roles(Role.ADMIN)
  @Get()
  @Op('listAuditEntries')
  @ApiOkKeysetList(AuditEntryDto)
  list(@Query() q: AuditQueryDto) {
    return this.audit.list(q);
  }

  /** Verifies the whole chain now: {ok, entries}. */
  @Roles(Role.ADMIN)
  @Get('verify')
  @Op('verifyAuditChain')
  @ApiOk(ChainCheckDto)
  verify() {
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
