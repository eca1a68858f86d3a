/**
 * The fenced code blocks of the project's READMEs, each classified by the marker on the line above it,
 * for tests/readme-examples.test.ts (which runs them against a live server). Every block must carry a
 * marker, so a block someone adds is run or skipped on purpose, never silently untested:
 *
 *   <!-- example: run -->                 sh: run with bash, every curl answered 2xx with JSON;
 *                                         ts: compiled with tsc in the SDK README's consumer setup, run with bun
 *   <!-- example: run, status 404 -->     the same, every curl answered with that status
 *   <!-- example: output -->              what the block above printed (json: a subset of the last curl's
 *                                         answer; text: lines that appear in order in its output)
 *   <!-- example: file package.json -->   a file of the SDK consumer's project, used as written
 *   <!-- example: skip: <why> -->         not runnable here; the reason is required
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type ExampleKind =
  | { kind: 'run'; status: number | null }
  | { kind: 'output' }
  | { kind: 'file'; name: string }
  | { kind: 'skip'; reason: string };

export interface CodeBlock {
  /** `README.md`, `sdk/README.md`: relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string's first word (`sh`, `ts`, `json`, …), or '' when there is none. */
  lang: string;
  /** The block's text, with the fence's indentation removed. */
  code: string;
  /** The marker on the line above, or null when there is none (or it cannot be read). */
  marker: ExampleKind | null;
  /** Why the marker could not be read, when there is one that does not parse. */
  markerError?: string;
}

const MARKER = /^<!--\s*example:\s*(.*?)\s*-->$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** What to put above a block: the text of the failure message for an unclassified block. */
export const MARKER_HELP = [
  'Put one of these on the line just above the opening fence (same indentation):',
  '  <!-- example: run -->                ```sh: run by bash against a live server on the 2023 season; each curl must answer 2xx and JSON',
  '                                       (or no body: 204, HEAD); with curl -i the headers are split off first.',
  '                                       ```ts: compiled by tsc in the consumer project of sdk/README.md, then run with bun.',
  '                                       Use http://localhost:8000 as the base URL and $F1_API_KEY / process.env.F1_API_KEY for a key.',
  '  <!-- example: run, status 404 -->    the same, but every curl must answer that status (error examples)',
  '  <!-- example: output -->             (```json or ```text) what the run block above prints; checked',
  '  <!-- example: file tsconfig.json --> a file of the SDK consumer project (sdk/README.md only)',
  '  <!-- example: skip: <why> -->        not runnable (starts a server, a table, a tree, config): say why',
  'The markers are read by tests/docs/markdown-examples.ts and run by tests/readme-examples.test.ts.',
].join('\n');

export function parseMarker(text: string): ExampleKind {
  const skip = /^skip\s*:\s*(.*)$/.exec(text);
  if (skip) {
    const reason = skip[1]?.trim() ?? '';
    if (!reason) throw new Error('a skip marker needs a reason: <!-- example: skip: <why> -->');
    return { kind: 'skip', reason };
  }
  const run = /^run(?:\s*,\s*status\s+(\d{3}))?$/.exec(text);
  if (run) return { kind: 'run', status: run[1] ? Number(run[1]) : null };
  if (text === 'output') return { kind: 'output' };
  const file = /^file\s+([\w.-]+)$/.exec(text);
  if (file?.[1]) return { kind: 'file', name: file[1] };
  throw new Error(`unknown example marker '${text}'`);
}

/** Every fenced block of `markdown`, in order. */
export function codeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const above = (lines[i - 1] ?? '').trim();
    const markerText = MARKER.exec(above)?.[1];
    let marker: ExampleKind | null = null;
    let markerError: string | undefined;
    if (markerText !== undefined) {
      try {
        marker = parseMarker(markerText);
      } catch (error) {
        markerError = (error as Error).message;
      }
    }
    blocks.push({
      file,
      line: i + 1,
      lang,
      code: body.join('\n'),
      marker,
      ...(markerError ? { markerError } : {}),
    });
    i = j;
  }
  return blocks;
}

/** The blocks of the READMEs the tests cover, read from `root`. */
export function readmeBlocks(
  root: string,
  files: readonly string[] = ['README.md', 'sdk/README.md'],
): CodeBlock[] {
  return files.flatMap((file) => codeBlocks(readFileSync(path.join(root, file), 'utf8'), file));
}

/** What is wrong with the blocks' classification: one message per block, saying what to do. */
export function classificationProblems(blocks: readonly CodeBlock[]): string[] {
  const problems: string[] = [];
  blocks.forEach((block, i) => {
    const where = `${block.file}:${block.line} (a \`\`\`${block.lang || '(no language)'} block)`;
    if (block.markerError) {
      problems.push(`${where}: ${block.markerError}.\n${MARKER_HELP}`);
      return;
    }
    const marker = block.marker;
    if (!marker) {
      problems.push(`${where} has no example marker, so no test would run it.\n${MARKER_HELP}`);
      return;
    }
    if (marker.kind === 'run' && block.lang !== 'sh' && block.lang !== 'ts')
      problems.push(`${where}: only \`\`\`sh and \`\`\`ts blocks can be run; mark it skip: <why>`);
    if (marker.kind === 'output') {
      const previous = blocks[i - 1];
      if (previous?.file !== block.file || previous.marker?.kind !== 'run')
        problems.push(`${where}: an output block must follow a run block`);
      if (block.lang !== 'json' && block.lang !== 'text')
        problems.push(`${where}: an output block is \`\`\`json or \`\`\`text`);
    }
    if (marker.kind === 'file' && block.file !== 'sdk/README.md')
      problems.push(`${where}: consumer files belong in sdk/README.md`);
  });
  return problems;
}

/**
 * Whether `actual` has everything `shown` has: objects may have more keys, arrays more elements
 * (shown elements are compared by position), scalars are equal. Returns the first difference's path.
 */
export function subsetMismatch(shown: unknown, actual: unknown, at = '$'): string | null {
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return `${at}: expected an array`;
    if (actual.length < shown.length)
      return `${at}: ${actual.length} elements, shown ${shown.length}`;
    for (let i = 0; i < shown.length; i++) {
      const miss = subsetMismatch(shown[i], actual[i], `${at}[${i}]`);
      if (miss) return miss;
    }
    return null;
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return `${at}: expected an object`;
    for (const [key, value] of Object.entries(shown)) {
      if (!(key in actual)) return `${at}.${key}: missing`;
      const miss = subsetMismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (miss) return miss;
    }
    return null;
  }
  return Object.is(shown, actual)
    ? null
    : `${at}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`;
}

/** The first shown line (trimmed, non-empty) that does not appear, in order, among `output`'s lines. */
export function missingLine(shown: string, output: string): string | null {
  const lines = output.split('\n').map((l) => l.trim());
  let from = 0;
  for (const want of shown.split('\n').map((l) => l.trim())) {
    if (!want) continue;
    const at = lines.indexOf(want, from);
    if (at < 0) return want;
    from = at + 1;
  }
  return null;
}
