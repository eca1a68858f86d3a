/** Matches a REST method and path to one of the router's REST operations. */
import type { RestOperation } from './operations.ts';

export interface RestMatch {
  operation: RestOperation;
  pathParams: Record<string, string>;
}

interface CompiledRoute {
  operation: RestOperation;
  pattern: RegExp;
  names: string[];
  /** Literal segments win over parameters: `/races/next` before `/races/{round}`. */
  literals: number;
}

/** A malformed escape (`%zz`) stays as sent, for validation to report. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function compileRoutes(operations: RestOperation[]) {
  const routes: CompiledRoute[] = operations.map((operation) => {
    const names: string[] = [];
    const segments = operation.path.split('/').filter(Boolean);
    const source = segments
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (param) {
          names.push(param);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return {
      operation,
      pattern: new RegExp(`^/${source}/?$`),
      names,
      literals: segments.length - names.length,
    };
  });
  routes.sort((a, b) => b.literals - a.literals);

  return {
    /** The operation for `method path`; `allowed` lists the methods the path has when none matches. */
    match(method: string, path: string): RestMatch | { allowed: string[] } | null {
      const allowed: string[] = [];
      for (const route of routes) {
        const found = route.pattern.exec(path);
        if (!found) continue;
        if (route.operation.method !== method) {
          allowed.push(route.operation.method);
          continue;
        }
        const pathParams: Record<string, string> = {};
        route.names.forEach((name, i) => {
          pathParams[name] = safeDecode(found[i + 1] ?? '');
        });
        return { operation: route.operation, pathParams };
      }
      return allowed.length ? { allowed } : null;
    },
  };
}
