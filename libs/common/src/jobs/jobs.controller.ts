import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser } from '../auth/decorators';
import { Principal } from '../auth/roles';
import { JobsService } from './jobs.service';
import { ApiErrors, ApiOk, Op } from '../http/openapi';
import { JobViewDto } from '../http/common.responses';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** Any role; suppliers and hospitals see only the jobs their organisation started. */
  @AnyRole()
  @Get(':jobId')
  @Op('getJob', 'State, progress, result and failure reason of a job')
  @ApiOk(JobViewDto)
  @ApiErrors(404)
  view(@Param('jobId') jobId: string, @CurrentUser() user: Principal) {
    return this.jobs.view(jobId, user);
  }
}
