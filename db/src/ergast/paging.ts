/**
 * Paging of the facade's row queries: the total the dialect prints (rows before paging) and the page
 * the request asks for, from one query (count it, then read its page in the caller's order).
 */
import { type SelectQueryBuilder, sql } from 'kysely';

export interface Paging {
  limit: number;
  offset: number;
}

/**
 * `from` counted, then `rows(from)` (its selection and order) read for `page`; no second query when
 * the page is past the end.
 */
export async function paged<DB, TB extends keyof DB, O, R>(
  from: SelectQueryBuilder<DB, TB, O>,
  rows: (from: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, R>,
  page: Paging,
): Promise<{ total: number; rows: R[] }> {
  const counted = await from
    .clearSelect()
    .select(sql<number>`count(*)::int`.as('total'))
    .$castTo<{ total: number }>()
    .executeTakeFirst();
  const total = counted?.total ?? 0;
  if (total === 0 || page.offset >= total) return { total, rows: [] };
  return { total, rows: await rows(from).limit(page.limit).offset(page.offset).execute() };
}
