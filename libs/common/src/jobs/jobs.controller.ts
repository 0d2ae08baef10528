import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AnyRole, CurrentUser, Roles } from '../auth/decorators';
import { Principal, Role } from '../auth/roles';
import { ListQueryDto } from '../http/pagination';
import { ALL_QUEUES, QueueName } from './queues';
import { JobQueueDto, JobSummaryDto, LISTED_JOB_STATES, type ListedJobState } from './jobs.responses';
import { JobsService } from './jobs.service';
import { ApiErrors, ApiOk, ApiOkList, Op } from '../http/openapi';
import { JobViewDto } from '../http/common.responses';

class JobListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ALL_QUEUES, description: 'one queue; all queues when absent' })
  @IsOptional()
  @IsIn(ALL_QUEUES)
  queue?: QueueName;

  @ApiPropertyOptional({ enum: [...LISTED_JOB_STATES], description: 'one state; every state when absent' })
  @IsOptional()
  @IsIn(LISTED_JOB_STATES)
  state?: ListedJobState;
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** The procurement office's view of the queues: counts per state, paused or not. */
  @Roles(Role.ADMIN)
  @Get('queues')
  @Op('listJobQueues', 'Each job queue with its waiting, active, delayed, failed and completed counts')
  @ApiOkList(JobQueueDto)
  queues() {
    return this.jobs.queueCounts();
  }

  /** Recent jobs, newest first, without payloads (admin). */
  @Roles(Role.ADMIN)
  @Get()
  @Op('listJobs', 'Recent jobs of a queue and state: name, progress, failure reason, times')
  @ApiOkList(JobSummaryDto)
  list(@Query() q: JobListQueryDto) {
    return this.jobs.recent(q);
  }

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
