// The page of an event search (limit, order, cursor) and what makes two
// page requests the same search.
// The schemas themselves are protocol's (http/search-schemas.ts); this file keeps
// what the routes do with the parsed query.
export interface PageParams {
  limit: number;
  order: "asc" | "desc";
  cursor?: string;
}

export function pageParams(params: Record<string, unknown>): PageParams {
  const page: PageParams = {
    limit: typeof params.limit === "number" ? params.limit : 50,
    order: params.order === "asc" ? "asc" : "desc",
  };
  if (typeof params.cursor === "string") page.cursor = params.cursor;
  return page;
}

/** The query without its cursor, keys sorted: what makes two page requests the same search. */
export function stableQuery(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([k, v]) => k !== "cursor" && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
