export { buildApp } from "./app.js";
export { DEFAULT_CONFIG, loadConfig, occurredAtBoundsFromEnv, type ServerConfig } from "./config.js";
export { sampleEvents } from "./demo/sample-events.js";
export { seedDemoData } from "./demo/seed-demo-data.js";
export type { AppDeps } from "./deps.js";
export { createMetrics, type ServiceMetrics } from "./http/metrics.js";
export { type RouteEntry, routeTableOf } from "./http/route-table.js";
export { type FiredReport, ReportScheduler } from "./reports/report-schedule.js";
export { toWirePlatformKey } from "./routes/platform-key-routes.js";
export { type RunningServer, startServer } from "./start-server.js";
export {
  DEFAULT_DATA_DIR,
  databaseOptionsOf,
  loadStoreConfig,
  type StoreConfig,
  type StoreFlags,
} from "./store-config.js";
export { SelfCheckSchedule } from "./verify/self-check-schedule.js";
