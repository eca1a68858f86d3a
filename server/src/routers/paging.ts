/**
 * Opaque cursors for keyset paging. A cursor is base64url JSON of `[list, ...key]`: the key of the last
 * row served, so the next page starts strictly after it in the list's total order. A cursor from another
 * list or a tampered one is a BAD_REQUEST naming the `cursor` field (never a 500).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

export function encodeCursor(list: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

export function decodeCursor<T extends z.ZodTuple>(
  list: string,
  cursor: string,
  key: T,
): z.infer<T> {
  // Decoded through a schema so the error is a real ZodError on the `cursor` path, which the error
  // formatter flattens like any other input error.
  const decoded = z
    .object({
      cursor: z.string().transform((value, ctx) => {
        let json: unknown = null;
        try {
          json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
        } catch {
          // not base64url JSON: reported below
        }
        const parsed = z.tuple([z.literal(list)], z.unknown()).safeParse(json);
        const parsedKey = parsed.success ? key.safeParse(parsed.data.slice(1)) : null;
        if (parsedKey?.success) return parsedKey.data as z.infer<T>;
        ctx.addIssue({
          code: 'custom',
          message: `not a cursor of ${list}; pass a nextCursor from a previous ${list} call`,
        });
        return z.NEVER;
      }),
    })
    .safeParse({ cursor });
  if (!decoded.success)
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'invalid cursor', cause: decoded.error });
  return decoded.data.cursor;
}

/** Splits `limit + 1` fetched rows into a page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: readonly Row[],
  options: {
    limit: number;
    list: string;
    key: (row: Row) => readonly (string | number)[];
    map: (row: Row) => Item;
  },
): { items: Item[]; nextCursor: string | null } {
  const { limit, list, key, map } = options;
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(list, key(last)) : null,
  };
}
