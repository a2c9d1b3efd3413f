// The no-code activity simulator: simulateWorkspace() drives a TrailproofClient
// like a real workspace. It depends only on @trailproof/client and core, so
// the server can seed demo data with it too.
export { type SimulateOptions, type SimulationSummary, simulateWorkspace } from "./simulate-workspace.js";
