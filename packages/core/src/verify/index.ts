export { BUNDLE_FORMAT, type BundleHeader } from "./bundle-format.js";
export {
  type Divergence,
  type DivergenceKind,
  LogVerifier,
  type LogVerifierOptions,
  type VerifiedCheckpoint,
  verifyCheckpointChain,
} from "./log-verifier.js";
export { type BundleReport, type VerifyBundleOptions, verifyBundle } from "./verify-bundle.js";
