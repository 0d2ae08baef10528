import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/*
 * The filters allocation's list queries share (demand, preferences, agreements, unallocated).
 * Each lists its decorators in the order a stack of them applies (bottom up), so the OpenAPI
 * document and the validation messages stay as the stacks wrote them.
 */

/** `?itemId=`: an item of the batch. */
export const ItemIdFilter = () =>
  applyDecorators(
    Min(1),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ type: 'integer' }),
  );

/** `?group=`: one of the batch rules' groups. */
export const GroupFilter = () => applyDecorators(MaxLength(32), IsString(), IsOptional(), ApiPropertyOptional());

/** `?hospitalId=`: admins filter by hospital; a hospital always sees its own rows. */
export const HospitalIdFilter = () =>
  applyDecorators(
    Min(1),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ type: 'integer', description: 'admins only; a hospital always sees its own' }),
  );
