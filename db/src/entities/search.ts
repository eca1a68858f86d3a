/** A case-insensitive LIKE pattern matching `term` as a literal substring (wildcards escaped). */
export function likePattern(term: string): string {
  return `%${term
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
