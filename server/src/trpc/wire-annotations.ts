/**
 * The shape check for superjson's value annotations (`meta.values`), run before superjson sees them.
 *
 * superjson walks the annotation tree recursively and iterates whatever it finds where a subtree
 * belongs; a string there (`"values":"x"`, or `["class","Nope"]`, whose second element it takes for a
 * children map) is iterated character by character, each one-character string again, until the stack
 * overflows: seconds of blocked event loop per request and the engine's message in the answer. A
 * well-formed tree is a root annotation `[type]` / `[type, children]`, or an object of subtrees; a type
 * is a name or a `[kind, name]` pair (`["class","Point"]`).
 */

/** Annotation trees are as deep as the data they annotate; no input of ours comes near this. */
const MAX_DEPTH = 64;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isTypeAnnotation = (value: unknown): boolean =>
  typeof value === 'string' ||
  (Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string');

function isTree(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isRecord(value)) return Object.values(value).every((child) => isTree(child, depth + 1));
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) return false;
  if (!isTypeAnnotation(value[0])) return false;
  const children: unknown = value[1];
  return (
    children === undefined ||
    (isRecord(children) && Object.values(children).every((child) => isTree(child, depth + 1)))
  );
}

/** True when `values` (absent, or an annotation tree) is safe to hand to superjson. */
export function isValueAnnotationTree(values: unknown): boolean {
  return values === undefined || isTree(values, 0);
}
