// WorkOS audit log exports (`POST /audit_logs/exports`, `GET
// /audit_logs/exports/{id}`): an export is a record in the shared state
// (deps.shared, so every node sees it) naming the tenant, the filter, the log
// size when it was made and the key that made it; the CSV is read from the
// log when its URL is fetched. The URL carries a one-off random token, like
// WorkOS's pre-signed URL: the shared state keeps only its hash, and each
// GET of the export issues a fresh one.
import { createHash, randomBytes } from "node:crypto";
import { type Problem, TrailproofError } from "@trailproof/core";
import type { SharedState } from "@trailproof/ledger";
import type { Role } from "@trailproof/protocol";
import type { Principal } from "../../auth/principal.js";

/** How long an export can be fetched again by its id. */
export const EXPORT_TTL_MS = 24 * 60 * 60 * 1000;
/** How long one download URL works. */
export const EXPORT_URL_TTL_MS = 10 * 60 * 1000;

export interface ExportFilter {
  range_start: string;
  range_end: string;
  actions?: string[];
  actor_names?: string[];
  actor_ids?: string[];
  targets?: string[];
}

export interface ExportRecord {
  id: string;
  tenant: string;
  tenantId: number;
  filter: ExportFilter;
  /** Entries below this index: what the log held when the export was made. */
  treeSize: number;
  createdAt: string;
  /** The key that made it: the download reads with its role and is meta-audited as it. */
  creator: { id: string; actor: Principal["actor"]; role: Role; via: Principal["via"] };
}

const recordKey = (id: string) => `workos-export:${id}`;
const urlKey = (token: string) => `workos-export-url:${createHash("sha256").update(token).digest("hex")}`;

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");

/** The export filter of a request body (untrusted); throws REQUEST_INVALID with every problem. */
export function parseExportFilter(body: unknown): ExportFilter {
  const b = (body !== null && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  const instant = (name: "range_start" | "range_end") => {
    const v = b[name];
    if (typeof v !== "string" || !Number.isFinite(Date.parse(v))) {
      problems.push({ pointer: `/${name}`, message: "is required: an ISO 8601 timestamp" });
      return "";
    }
    return new Date(Date.parse(v)).toISOString();
  };
  const filter: ExportFilter = { range_start: instant("range_start"), range_end: instant("range_end") };
  if (filter.range_start !== "" && filter.range_end !== "" && filter.range_start >= filter.range_end) {
    problems.push({ pointer: "/range_end", message: "must be after range_start" });
  }
  for (const name of ["actions", "actor_names", "actor_ids", "targets"] as const) {
    const v = b[name];
    if (v === undefined || v === null) continue;
    if (!isStringArray(v) || (v as string[]).length > 100) {
      problems.push({ pointer: `/${name}`, message: "must be an array of at most 100 strings" });
    } else if ((v as string[]).length > 0) filter[name] = v as string[];
  }
  if (problems.length > 0) throw new TrailproofError("REQUEST_INVALID", "the export request is invalid", { problems });
  return filter;
}

export async function saveExport(shared: SharedState, record: ExportRecord): Promise<void> {
  await shared.put(recordKey(record.id), JSON.stringify(record), EXPORT_TTL_MS);
}

/** The live export `id` of `tenant`, or undefined (another tenant's export is as absent as an expired one). */
export async function findExport(shared: SharedState, id: string, tenant: string): Promise<ExportRecord | undefined> {
  const raw = await shared.get(recordKey(id));
  const record = raw === undefined ? undefined : (JSON.parse(raw) as ExportRecord);
  return record?.tenant === tenant ? record : undefined;
}

/** A fresh download token for export `id`, valid EXPORT_URL_TTL_MS. */
export async function issueDownloadToken(shared: SharedState, id: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await shared.put(urlKey(token), id, EXPORT_URL_TTL_MS);
  return token;
}

/** The export a download token (untrusted) opens, when it is live and names export `id`. */
export async function exportForToken(
  shared: SharedState,
  id: string,
  token: string,
): Promise<ExportRecord | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  if ((await shared.get(urlKey(token))) !== id) return undefined;
  const raw = await shared.get(recordKey(id));
  return raw === undefined ? undefined : (JSON.parse(raw) as ExportRecord);
}

/** The WorkOS answer for an export: ready at once, since the CSV is read when fetched. */
export function exportAnswer(record: ExportRecord, url: string) {
  return {
    object: "audit_log_export",
    id: record.id,
    state: "ready",
    url,
    created_at: record.createdAt,
    updated_at: record.createdAt,
  };
}

export function newExportId(): string {
  return `audit_log_export_${randomBytes(16).toString("hex")}`;
}
