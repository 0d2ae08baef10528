import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_LIMIT = 500;
/**
 * The largest offset a list accepts (400 beyond): a safe integer far above any list's size here,
 * and a bound on the rows MySQL must skip for one page.
 */
export const MAX_OFFSET = 10_000_000;

/** `?limit=&offset=` of api.md (limit 1..500, offset 0..10,000,000; 400 beyond). */
export class ListQueryDto {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = 50;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Long lists also page by key: `?after=<last id seen>&limit=` answers the next `limit`
 * rows in id order and `{items, nextAfter}` (null on the last page), with no total, so
 * the last page of millions of rows costs what the first does (an index range scan, no
 * OFFSET to skip, no COUNT). `after=0` starts at the beginning. Offset paging stays for
 * callers that want a total; with `after`, `offset` is ignored.
 */
export class KeysetListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'key-set paging: the last id of the previous page (0 for the first); answers {items, nextAfter}',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}

export interface KeysetPage<T> {
  items: T[];
  /** The `after` of the next page; null when this page is the last. */
  nextAfter: number | null;
}

/** The `nextAfter` of a key-set page whose rows are in ascending key order. */
export function nextAfter<T>(items: readonly T[], limit: number, key: (item: T) => number): number | null {
  return items.length === limit && items.length > 0 ? key(items[items.length - 1]) : null;
}
