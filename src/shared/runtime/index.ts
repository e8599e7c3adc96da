export { loader, type Context, type Runtime } from './context.js';
export { findRoute, type HttpRoute } from './routes.js';
export { ServiceKey, Services } from './services.js';
