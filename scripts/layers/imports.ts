/**
 * Finds every module reference in a TypeScript/JavaScript source: static `import`, `export … from`,
 * dynamic `import()`, `require()` (and Bun's `import.meta.require()`), `mock.module()` and
 * triple-slash `/// <reference path|types="…" />` directives (type-only). A small tokenizer (strings, template literals,
 * comments and regex literals are told apart) keeps text inside comments and strings from counting, and
 * is fast enough to read the whole workspace in a fraction of a second.
 */

/** How a module is referenced. `dynamic` with no specifier is an `import(expr)` that cannot be checked. */
export type ImportKind = 'static' | 'export' | 'dynamic' | 'require' | 'mock';

export interface ImportRef {
  /** 1-based line of the statement's first token. */
  readonly line: number;
  readonly kind: ImportKind;
  /** The module specifier, or `null` for a dynamic import of a computed expression. */
  readonly specifier: string | null;
  /** `import type`, `export type … from`, `typeof import('…')` and `import('…').T` in a type. */
  readonly typeOnly: boolean;
}

interface Token {
  readonly kind: 'id' | 'str' | 'punct';
  readonly value: string;
  readonly line: number;
}

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const isIdStart = (c: string): boolean => /[A-Za-z_$\u0080-\uffff]/.test(c);
const isIdPart = (c: string): boolean => /[\w$\u0080-\uffff]/.test(c);

/** Splits source text into identifiers, string literals and punctuation; comments and regexes are dropped. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  /** One entry per open `{`: `true` when it opened a template literal's `${`. */
  const braces: boolean[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;

  const regexAllowed = (): boolean => {
    const prev = tokens.at(-1);
    if (prev === undefined) return true;
    if (prev.kind === 'str') return false;
    if (prev.kind === 'id') return REGEX_AFTER_WORD.has(prev.value);
    return !(prev.value === ')' || prev.value === ']' || prev.value === '}');
  };

  /** Reads a template literal's text from `i` (just past a backtick or `}`) to its end or next `${`. */
  const templateChunk = (startLine: number, head: boolean): void => {
    let text = '';
    while (i < n) {
      const c = src[i] as string;
      if (c === '\\') {
        text += src.slice(i, i + 2);
        if (src[i + 1] === '\n') line++;
        i += 2;
      } else if (c === '`') {
        i++;
        // A template without substitutions is as good as a string literal.
        tokens.push(head ? { kind: 'str', value: text, line: startLine } : punct('`', startLine));
        return;
      } else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        braces.push(true);
        tokens.push(punct('`', startLine));
        return;
      } else {
        if (c === '\n') line++;
        text += c;
        i++;
      }
    }
  };

  while (i < n) {
    const c = src[i] as string;
    const next = src[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let value = '';
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          value += src[i + 1] ?? '';
          i += 2;
        } else {
          value += src[i];
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'str', value, line: startLine });
    } else if (c === '`') {
      i++;
      templateChunk(line, true);
    } else if (c === '/' && regexAllowed()) {
      i = skipRegex(src, i);
    } else if (isIdStart(c)) {
      const start = i;
      while (i < n && isIdPart(src[i] as string)) i++;
      tokens.push({ kind: 'id', value: src.slice(start, i), line });
    } else if (/\d/.test(c)) {
      while (i < n && /[\w.]/.test(src[i] as string)) i++;
      tokens.push({ kind: 'id', value: '0', line });
    } else {
      i++;
      if (c === '{') braces.push(false);
      if (c === '}' && braces.pop() === true) {
        templateChunk(line, false);
        continue;
      }
      tokens.push(punct(c, line));
    }
  }
  return tokens;
}

const punct = (value: string, line: number): Token => ({ kind: 'punct', value, line });

/** Returns the index just past the regex literal starting at `start` (a `/`). */
function skipRegex(src: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < src.length && src[i] !== '\n') {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    i++;
  }
  i++;
  while (i < src.length && isIdPart(src[i] as string)) i++;
  return i;
}

const is = (t: Token | undefined, kind: Token['kind'], value?: string): boolean =>
  t !== undefined && t.kind === kind && (value === undefined || t.value === value);

/**
 * From the token after `import`/`export`, finds the `from '…'` that ends the statement; returns the
 * specifier or null when the statement has none (`export const …`, `export { a };`).
 */
function fromClause(tokens: Token[], start: number): string | null {
  let depth = 0;
  for (let j = start; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.kind === 'punct') {
      if (t.value === '{') depth++;
      else if (t.value === '}') {
        depth--;
        if (depth === 0 && !is(tokens[j + 1], 'id', 'from')) return null;
      } else if (depth === 0 && (t.value === ';' || t.value === '=' || t.value === '('))
        return null;
    } else if (depth === 0 && t.kind === 'id' && t.value === 'from' && is(tokens[j + 1], 'str')) {
      return (tokens[j + 1] as Token).value;
    } else if (depth === 0 && t.kind === 'str') return null;
  }
  return null;
}

/** `import type X`, `import type { … }`, `import type * as X` (but not a default import named `type`). */
function startsTypeOnly(tokens: Token[], at: number): boolean {
  const after = tokens[at + 1];
  return (
    is(tokens[at], 'id', 'type') &&
    (is(after, 'punct', '{') ||
      is(after, 'punct', '*') ||
      (is(after, 'id') && after?.value !== 'from'))
  );
}

/** Reads the argument of `import(`, `require(` or `mock.module(` whose `(` is at `open`. */
function callArgument(tokens: Token[], open: number): string | null {
  const arg = tokens[open + 1];
  const after = tokens[open + 2];
  if (is(arg, 'str') && (is(after, 'punct', ')') || is(after, 'punct', ','))) {
    return (arg as Token).value;
  }
  return null;
}

/** `import('x').T` in a type position (but not `import('x').then(…)`). */
function isTypeMember(tokens: Token[], open: number): boolean {
  const member = tokens[open + 4];
  return (
    is(tokens[open + 2], 'punct', ')') &&
    is(tokens[open + 3], 'punct', '.') &&
    member !== undefined &&
    !['then', 'catch', 'finally'].includes(member.value)
  );
}

/** Every module reference in `src`, in source order. */
export function scanImports(src: string): ImportRef[] {
  const tokens = tokenize(src);
  const refs: ImportRef[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'id') continue;
    if (is(tokens[i - 1], 'punct', '.') && !isImportMetaRequire(tokens, i)) continue;
    const next = tokens[i + 1];
    if (t.value === 'import') {
      if (is(next, 'punct', '.')) continue; // import.meta
      if (is(next, 'punct', '(')) {
        const typeOnly = is(tokens[i - 1], 'id', 'typeof') || isTypeMember(tokens, i + 1);
        const specifier = callArgument(tokens, i + 1);
        refs.push({ line: t.line, kind: 'dynamic', specifier, typeOnly });
      } else if (is(next, 'str')) {
        refs.push({
          line: t.line,
          kind: 'static',
          specifier: (next as Token).value,
          typeOnly: false,
        });
      } else {
        const specifier = fromClause(tokens, i + 1);
        if (specifier !== null) {
          refs.push({
            line: t.line,
            kind: 'static',
            specifier,
            typeOnly: startsTypeOnly(tokens, i + 1),
          });
        }
      }
    } else if (t.value === 'export') {
      const typeOnly = startsTypeOnly(tokens, i + 1);
      const head = tokens[i + (typeOnly ? 2 : 1)];
      if (!is(head, 'punct', '{') && !is(head, 'punct', '*')) continue;
      const specifier = fromClause(tokens, i + 1);
      if (specifier !== null) refs.push({ line: t.line, kind: 'export', specifier, typeOnly });
    } else if (t.value === 'require' && is(next, 'punct', '(')) {
      const specifier = callArgument(tokens, i + 1);
      if (specifier !== null)
        refs.push({ line: t.line, kind: 'require', specifier, typeOnly: false });
    } else if (
      t.value === 'mock' &&
      is(next, 'punct', '.') &&
      is(tokens[i + 2], 'id', 'module') &&
      is(tokens[i + 3], 'punct', '(')
    ) {
      const specifier = callArgument(tokens, i + 3);
      if (specifier !== null) refs.push({ line: t.line, kind: 'mock', specifier, typeOnly: false });
    }
  }
  return [...refs, ...referenceDirectives(src)].sort((a, b) => a.line - b.line);
}

/** `import.meta.require` at `i` (the `require` token). */
function isImportMetaRequire(tokens: Token[], i: number): boolean {
  return (
    is(tokens[i], 'id', 'require') &&
    is(tokens[i - 2], 'id', 'meta') &&
    is(tokens[i - 3], 'punct', '.') &&
    is(tokens[i - 4], 'id', 'import')
  );
}

const REFERENCE = /^[ \t]*\/\/\/[ \t]*<reference[ \t]+(?:path|types)[ \t]*=[ \t]*(["'])([^"']+)\1/;

/** Triple-slash directives (`/// <reference path="…" />`, `types="…"`): they pull in types. */
function referenceDirectives(src: string): ImportRef[] {
  return src.split('\n').flatMap((text, index) => {
    const match = REFERENCE.exec(text);
    return match?.[2]
      ? [{ line: index + 1, kind: 'static' as const, specifier: match[2], typeOnly: true }]
      : [];
  });
}
