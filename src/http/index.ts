/** The fastify app: routes per resource, the error catalogue mapping, auth and OpenAPI. */
export { buildApp, type AppDependencies, type GavelApp } from './app.ts';
