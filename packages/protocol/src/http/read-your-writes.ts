// `min_index`, the read-your-writes parameter of every search-backed read
// (issue 9): answer once the search projection covers this log index.
import { Type } from "typebox";

/** Longest a search-backed read waits for `min_index` before answering 503 with Retry-After. */
export const MIN_INDEX_MAX_WAIT_MS = 5000;

/** The query property, spread into the querystring schema of every route that reads the search. */
export const MinIndexProperty = {
  min_index: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description:
        "read your own writes: answer once the search covers this log index (from an ingest receipt); 503 if it does not within 5 s",
    }),
  ),
};
