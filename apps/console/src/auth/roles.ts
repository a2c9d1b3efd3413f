// The person's role decides what the console shows; the server enforces the
// same ladder (viewer < auditor < admin), so hiding is convenience, not defence.
// The ladder is protocol's: the console keeps no copy of its own.
export { isPersonRole as isRole, roleAtLeast } from "@trailproof/protocol";
