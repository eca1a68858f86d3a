/**
 * The router as the REST bridge sees it: each procedure's `meta.openapi` taken from the procedure
 * itself or from REST_PATHS, and a documented output for those without `.output()`. A read-only view
 * (new objects around the procedures' own definitions); the procedures themselves are not touched.
 */
import type { AnyRouter } from '@trpc/server';
import type { OpenApiRouter } from 'trpc-to-openapi';
import type { Meta } from '../trpc/init.ts';
import { REST_PATHS, type RestPath } from './rest-paths.ts';

interface ProcedureDef {
  type: string;
  meta?: Meta;
  output?: unknown;
  [key: string]: unknown;
}

export function restView(router: AnyRouter, paths: Record<string, RestPath> = REST_PATHS) {
  const procedures: Record<string, { _def: ProcedureDef }> = {};
  for (const [name, procedure] of Object.entries(router._def.procedures)) {
    const def = (procedure as { _def: ProcedureDef })._def;
    const declared = def.meta?.openapi;
    const listed = paths[name];
    if (declared && listed)
      throw new Error(`${name}: REST path declared both in meta.openapi and in REST_PATHS`);
    if (!listed) {
      procedures[name] = { _def: def };
      continue;
    }
    const { output, ...openapi } = listed;
    procedures[name] = {
      _def: {
        ...def,
        meta: { ...def.meta, openapi },
        ...(def.output === undefined && output ? { output } : {}),
      },
    };
  }
  return { _def: { ...router._def, procedures } } as unknown as OpenApiRouter;
}
