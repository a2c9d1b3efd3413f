// Every migration, in order. A released migration never changes: a schema
// change is a new file with the next version.
import type { PostgresMigration } from "../postgres-migrations.js";
import { migration1 } from "./001-log.js";
import { migration2 } from "./002-catalogue.js";
import { migration3 } from "./003-search.js";
import { migration4 } from "./004-coordination.js";
import { migration5 } from "./005-shared-state.js";
import { migration6 } from "./006-approvals.js";
import { migration7 } from "./007-erasure.js";
import { migration8 } from "./008-retention.js";
import { migration9 } from "./009-platform-keys.js";
import { migration10 } from "./010-detection.js";
import { migration11 } from "./011-notifications.js";
import { migration12 } from "./012-report-schedules.js";
import { migration13 } from "./013-streams.js";
import { migration14 } from "./014-cosignatures.js";

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  migration1,
  migration2,
  migration3,
  migration4,
  migration5,
  migration6,
  migration7,
  migration8,
  migration9,
  migration10,
  migration11,
  migration12,
  migration13,
  migration14,
];
