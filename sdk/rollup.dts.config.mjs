// Bundles the SDK's declarations into ONE dist/index.d.ts that inlines the server's router type, so the
// published package never mentions the private `@f1/server` workspace package. rollup-plugin-dts uses
// the TypeScript 6 JS API (@typescript/typescript6): TypeScript 7's tsc has none.
import { builtinModules } from 'node:module';
import { dts } from 'rollup-plugin-dts';

export default {
  input: 'src/index.ts',
  output: { file: 'dist/index.d.ts', format: 'es' },
  // The SDK's own dependencies stay imports; the router type and what it names is inlined. Server-only
  // packages are external too so that they are never parsed (services travel as `unknown`, so nothing
  // of theirs belongs in the router type); scripts/pack.ts fails the build if one is imported anyway.
  external: [/^@trpc\//, 'superjson', 'kysely', 'ioredis', 'elysia', /^node:/, ...builtinModules],
  plugins: [dts({ respectExternal: true, tsconfig: './tsconfig.dts.json' })],
};
