// @trailproof/client/node: the parts that need Node: the durable FileSpool,
// AsyncLocalStorage attribution (installed as the ambient source on import)
// and request-context middleware for Express and Fastify.
export { currentRun, nodeAmbient, withAutomation, withRequestContext, withStep } from "./async-context.js";
export { FileSpool, type FileSpoolOptions } from "./file-spool.js";
export { clientIp, type RequestContextOptions, requestContext } from "./request-context.js";
export { expressContext, fastifyContext } from "./request-middleware.js";
