// The built-in action catalogue: the no-code taxonomy every Trailproof log
// starts with, version 1 of each action. Platforms register their own actions
// (or later versions of these) through the registry.
import type { ActionDefinition } from "./action-definition.js";
import { accessActions } from "./catalogue-access.js";
import { builderActions } from "./catalogue-builder.js";
import { dataActions } from "./catalogue-data.js";
import { metaAuditActions } from "./catalogue-meta-audit.js";

export const builtinCatalogue: readonly ActionDefinition[] = [
  ...builderActions,
  ...accessActions,
  ...dataActions,
  ...metaAuditActions,
];
