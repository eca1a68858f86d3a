/**
 * What a procedure declares to be exposed over REST: `meta({ openapi: { method, path, … } })`.
 *
 * This is trpc-to-openapi's `OpenApiMeta['openapi']` without the zod-typed header fields, written out
 * structurally: `Meta` is part of the public `AppRouter` type, and naming zod (or trpc-to-openapi)
 * there would inline their declarations into the SDK's .d.ts. `meta.test.ts` checks it stays
 * assignable to the library's type. Security is not declared here: the document derives it from the
 * procedure's access level (`meta.access`), the same rule tRPC enforces.
 */
export interface OpenApiOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Under /api/v1, with `{param}` placeholders naming input fields: `/drivers/{driverId}`. */
  path: `/${string}`;
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
  successDescription?: string;
  /** Error statuses beyond the ones derived from the procedure (409, 412, a 404 without path ids). */
  errorResponses?: number[];
  enabled?: boolean;
}
