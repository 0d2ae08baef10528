import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser } from '../auth/decorators';
import { Principal } from '../auth/roles';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** Any role; suppliers and hospitals see only the jobs their organisation started. */
  @AnyRole()
  @Get(':jobId')
  view(@Param('jobId') jobId: string, @CurrentUser() user: Principal) {
    return this.jobs.view(jobId, user);
  }
}
