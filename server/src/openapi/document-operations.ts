/**
 * The operations of an OpenAPI document reduced to what a client depends on: for each `METHOD path`,
 * its parameters (`in name`, `?` when optional), whether it takes a body, its response statuses and
 * its success schema. document.test.ts compares the served document with a stored snapshot of this.
 */
import type { OpenAPIObject } from 'trpc-to-openapi';

export interface OperationSummary {
  parameters: string[];
  body: boolean;
  responses: string[];
  output: unknown;
}

interface ParameterLike {
  in?: string;
  name?: string;
  required?: boolean;
}

interface OperationLike {
  parameters?: ParameterLike[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function documentOperations(document: OpenAPIObject): Record<string, OperationSummary> {
  const operations: Record<string, OperationSummary> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, OperationLike | undefined>)[method];
      if (!operation) continue;
      operations[`${method.toUpperCase()} ${path}`] = {
        parameters: (operation.parameters ?? [])
          .map((p) => `${p.in} ${p.name}${p.required ? '' : '?'}`)
          .sort(),
        body: operation.requestBody !== undefined,
        responses: Object.keys(operation.responses ?? {}).sort(),
        output: operation.responses?.['200']?.content?.['application/json']?.schema ?? null,
      };
    }
  }
  return Object.fromEntries(Object.entries(operations).sort(([a], [b]) => a.localeCompare(b)));
}
