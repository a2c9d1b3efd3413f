// SQLite layout 5 (docs/storage.md, docs/retention.md): retention pruning.
// A tenant file gains pruned_ranges, append-only, and its entries trigger
// lets exactly one UPDATE through: blanking the leaf data of an entry that a
// pruned_ranges row covers, every other column unchanged. Pruning is the one
// audited path that removes bodies; anything else still aborts. A pruned
// entry's personal values go with its body: the disclosures trigger of
// layout 4 (erasure tombstones, never deletes) lets through the deletes of
// a recorded range, and only those.

/** Applied to a tenant file whose user_version is below 5, in the transaction that stamps the version. */
export const SQLITE_LAYOUT_5 = `
CREATE TABLE IF NOT EXISTS pruned_ranges (
  start_idx INTEGER PRIMARY KEY,
  end_idx INTEGER NOT NULL CHECK (end_idx > start_idx),
  prune_idx INTEGER NOT NULL CHECK (prune_idx >= end_idx)
);
CREATE TRIGGER IF NOT EXISTS pruned_ranges_no_update BEFORE UPDATE ON pruned_ranges
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: pruned_ranges is append-only'); END;
CREATE TRIGGER IF NOT EXISTS pruned_ranges_no_delete BEFORE DELETE ON pruned_ranges
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: pruned_ranges is append-only'); END;
DROP TRIGGER IF EXISTS disclosures_no_delete;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
WHEN NOT EXISTS (SELECT 1 FROM pruned_ranges WHERE start_idx <= OLD.idx AND OLD.idx < end_idx)
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: disclosures are erased, never deleted, but with a pruned body'); END;
DROP TRIGGER IF EXISTS entries_no_update;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
WHEN NOT (NEW.idx IS OLD.idx AND NEW.event_id IS OLD.event_id AND NEW.leaf_hash IS OLD.leaf_hash
  AND NEW.content_digest IS OLD.content_digest AND NEW.received_ms IS OLD.received_ms
  AND length(NEW.leaf_data) = 0
  AND EXISTS (SELECT 1 FROM pruned_ranges WHERE start_idx <= OLD.idx AND OLD.idx < end_idx))
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: entries is append-only (only pruning blanks a recorded range''s leaf data)'); END;
`;

/** The layout version that introduced pruned_ranges. */
export const SQLITE_PRUNE_LAYOUT = 5;
