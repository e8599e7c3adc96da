export { loader, plainReadEm, RequestContext, type Context, type Runtime } from './context.js';
export { bearerToken, findRoute, type HttpRoute, type RouteAnswer } from './routes.js';
export { ServiceKey, Services } from './services.js';
