/** Public surface of the server package: the app factory and the router type the SDK is built from. */
export { createApp } from './app.ts';
export { Services } from './services.ts';
export type { AppRouter } from './trpc/router.ts';
