// Migration 3: the search projection (FollowerSink) and the AuditQuery it serves:
// the PostgreSQL form of sqlite-search-schema.ts, every table keyed by
// tenant_id first (a distributed PostgreSQL shards on it).
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

/**
 * Copies of each entry's searchable fields (search-fields.ts), never the
 * log: the leaf stays authoritative and reads take it from `entries`.
 *
 * Indexes follow the queries the service runs, as on SQLite: every one
 * starts with tenant_id and ends in (occurred_ms, idx), the keyset of
 * cursors, so a page of one actor, action, target, session, run, workflow
 * or cause is read in order straight from the index and stops at `limit`.
 * An action prefix is a range on search_action. Kind, category, outcome,
 * risk, actor type and environment have a handful of values each and are
 * checked while walking search_time.
 *
 * message_words is the message as full-text lexemes, built by the
 * projection (postgres-search-text.ts) so words split and fold exactly as
 * SQLite's FTS5 unicode61 tokenizer does; no text search configuration
 * touches them, so ids and mixed-language text are never stemmed.
 *
 * search_words keeps GIN's pending list (new entries batched into the index
 * later) but at 512 kB instead of 4 MB: every text search scans that list
 * whole, which at 4 MB cost about 30 ms; a smaller list is merged more
 * often (the projection applied 200,000 entries at about 7,200/s with it,
 * 5,000/s with no list at all, measured on a loaded 2-core machine).
 */
const SEARCH_ROWS = `
CREATE TABLE search_rows (
  tenant_id integer NOT NULL,
  idx bigint NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  occurred_ms bigint NOT NULL,
  action text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  category text COLLATE "C" NOT NULL,
  outcome text COLLATE "C" NOT NULL,
  risk text COLLATE "C" NOT NULL,
  actor_type text COLLATE "C" NOT NULL,
  actor_id text COLLATE "C" NOT NULL,
  target_type text COLLATE "C" NOT NULL,
  target_id text COLLATE "C" NOT NULL,
  session_id text COLLATE "C",
  run_id text COLLATE "C",
  workflow_id text COLLATE "C",
  caused_by text COLLATE "C",
  environment text COLLATE "C",
  trigger_id text COLLATE "C",
  message text COLLATE "C",
  message_words tsvector,
  PRIMARY KEY (tenant_id, idx)
);
CREATE INDEX search_time ON search_rows (tenant_id, occurred_ms, idx);
CREATE INDEX search_actor ON search_rows (tenant_id, actor_id, occurred_ms, idx);
CREATE INDEX search_action ON search_rows (tenant_id, action, occurred_ms, idx);
CREATE INDEX search_target ON search_rows (tenant_id, target_type, target_id, occurred_ms, idx);
CREATE INDEX search_session ON search_rows (tenant_id, session_id, occurred_ms, idx) WHERE session_id IS NOT NULL;
CREATE INDEX search_run ON search_rows (tenant_id, run_id, occurred_ms, idx) WHERE run_id IS NOT NULL;
CREATE INDEX search_workflow ON search_rows (tenant_id, workflow_id, occurred_ms, idx) WHERE workflow_id IS NOT NULL;
CREATE INDEX search_caused_by ON search_rows (tenant_id, caused_by, occurred_ms, idx) WHERE caused_by IS NOT NULL;
CREATE INDEX search_words ON search_rows USING gin (message_words) WITH (gin_pending_list_limit = 512);
`;

/**
 * search_tags: one row per distinct tag of an entry, keyed in sort order so
 * a tag's page is an ordered index walk.
 *
 * search_hours counts entries per UTC hour of occurred_at, so a histogram
 * of a week over every event reads 168 rows instead of every entry.
 *
 * follower_cursors holds each follower's durable cursor: a sink advances it
 * in the transaction that writes what it applied, with a compare-and-set
 * on the locked row, so nodes following the same log never apply an entry
 * twice.
 */
const DERIVED = `
CREATE TABLE search_tags (
  tenant_id integer NOT NULL,
  tag text COLLATE "C" NOT NULL,
  occurred_ms bigint NOT NULL,
  idx bigint NOT NULL,
  PRIMARY KEY (tenant_id, tag, occurred_ms, idx)
);

CREATE TABLE search_hours (
  tenant_id integer NOT NULL,
  hour_ms bigint NOT NULL,
  n bigint NOT NULL CHECK (n > 0),
  PRIMARY KEY (tenant_id, hour_ms)
);

CREATE TABLE follower_cursors (
  tenant_id integer NOT NULL,
  follower text COLLATE "C" NOT NULL,
  covered bigint NOT NULL CHECK (covered >= 0),
  PRIMARY KEY (tenant_id, follower)
);

-- Projected rows and tags are never edited in place, by anyone (as on
-- SQLite; refuse_change() is migration 1's): a deliberate edit needs the
-- trigger disabled, which verification reports. Deleting stays possible
-- for the owner, who may drop a projection to have it rebuilt from the log.
CREATE TRIGGER search_rows_append_only BEFORE UPDATE ON search_rows
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER search_tags_append_only BEFORE UPDATE ON search_tags
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
`;

/**
 * The full-text matches of the tenant the transaction names, at most `cap`,
 * through the GIN index. Row-level security keeps that index from the app
 * role: ts_match_vq (@@) is not leakproof, so PostgreSQL evaluates it only
 * after the policy and never as an index condition, and every text search
 * would read the whole tenant. This function runs as the owner and applies
 * the policy's own predicate (TENANT_POLICY) itself, so it returns
 * no more than the policy would let the caller see: an operator-scope or
 * unscoped transaction gets nothing. EXECUTE plans with the query's words.
 * Its search_path is PG_SCHEMA's name spelled out (importing it would make
 * the migrations a cycle), pg_temp last so no temporary table can stand in.
 */
const TEXT_MATCHES = (appRole: string) => `
CREATE FUNCTION search_text_matches(words tsquery, cap integer) RETURNS TABLE (idx bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = trailproof, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT idx FROM search_rows WHERE ${TENANT_POLICY.replaceAll("'", "''")} AND message_words @@ $1 LIMIT $2'
    USING words, cap;
END $$;
REVOKE ALL ON FUNCTION search_text_matches(tsquery, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_text_matches(tsquery, integer) TO ${appRole};
`;

const TENANT_TABLES = ["search_rows", "search_tags", "search_hours", "follower_cursors"] as const;

function tenantScoped(table: string, appRole: string): string {
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${table}_tenant ON ${table} FOR ALL TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});`;
}

/**
 * The app role inserts rows and tags and never changes them; it adds to an
 * hour's count (the one derived value that grows in place, as on SQLite)
 * and moves its cursors. It deletes nothing: dropping a projection to
 * rebuild it is the owner's act.
 */
export const migration3: PostgresMigration = {
  version: 3,
  name: "search",
  up: ({ appRole }) => `${SEARCH_ROWS}
${DERIVED}
${TEXT_MATCHES(appRole)}
${TENANT_TABLES.map((t) => tenantScoped(t, appRole)).join("\n")}
GRANT SELECT, INSERT ON search_rows, search_tags, search_hours, follower_cursors TO ${appRole};
GRANT UPDATE (n) ON search_hours TO ${appRole};
GRANT UPDATE (covered) ON follower_cursors TO ${appRole};
`,
};
