import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '../auth/roles';
import { ApiDateTime, ApiInt } from './openapi';

/** GET /jobs/:jobId (api.md): state as BullMQ names it. */
export class JobViewDto {
  @ApiProperty({ example: 'opening:batch-12' }) jobId!: string;
  @ApiProperty({ example: 'open-batch' }) name!: string;
  @ApiProperty({ enum: ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'waiting-children'], example: 'completed' }) state!: string;
  @ApiProperty({ description: 'a number (percent) or an object, as the job reports it', oneOf: [{ type: 'number', format: 'double' }, { type: 'object' }] })
  progress!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the job result once completed' }) result!: unknown;
  @ApiProperty({ type: 'string', nullable: true }) failedReason!: string | null;
  @ApiInt() attemptsMade!: number;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime({ nullable: true }) finishedAt!: string | null;
}

/** One audit log entry (hash chained). */
export class AuditEntryDto {
  @ApiInt() seq!: number;
  @ApiDateTime() at!: string;
  @ApiInt({ nullable: true }) actorUserId!: number | null;
  @ApiInt({ nullable: true }) actorOrganizationId!: number | null;
  @ApiProperty({ example: 'bid.submit' }) action!: string;
  @ApiProperty({ example: 'bid' }) entity!: string;
  @ApiProperty({ example: '42' }) entityId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
  @ApiPropertyOptional({ enum: [true], description: "true while the entry's bid is sealed: its data is withheld" }) sealed?: true;
}

/** GET /audit/verify. */
export class ChainCheckDto {
  @ApiProperty() ok!: boolean;
  @ApiInt() entries!: number;
  @ApiInt({ required: false, description: 'the first seq where the chain breaks' }) brokenAt?: number;
  @ApiPropertyOptional() reason?: string;
  @ApiInt({ description: 'entries appended but not chained yet (no hash covers them yet)' }) unchained!: number;
}

export class ProbeDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional() error?: string;
}

/** GET /health. */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ type: ProbeDto }) database!: ProbeDto;
  @ApiProperty({ type: ProbeDto }) redis!: ProbeDto;
}

export class UserDto {
  @ApiInt() id!: number;
  @ApiProperty({ example: 'clerk01' }) username!: string;
  @ApiInt() organizationId!: number;
  @ApiProperty({ enum: Role }) role!: Role;
}
