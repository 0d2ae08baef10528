import { ApiProperty } from '@nestjs/swagger';
import { ApiInt } from '@jicai/common';
import type { ImportAccepted } from './import-jobs.service';

/** 202 of an import: the job that writes the rows, and how many valid rows it writes. */
export class ImportAcceptedDto implements ImportAccepted {
  @ApiProperty({ description: 'poll GET /jobs/:jobId', example: 'imports:6f1c…' }) jobId!: string;
  @ApiInt({ example: 120 }) rows!: number;
}
