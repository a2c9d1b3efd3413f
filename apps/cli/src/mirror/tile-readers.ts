// Where `verify --tiles` reads a tlog-tiles copy from: a directory, or an
// http(s) URL prefix (any static file server or object store), through the
// TileReader interface core's verifier takes.
import { type TileReader, TrailproofError } from "@trailproof/core";
import { MirrorDirectory } from "./mirror-directory.js";

/** How long one tile request may take. */
const FETCH_TIMEOUT_MS = 30_000;

export function tileReaderFor(location: string): TileReader {
  if (/^https?:\/\//.test(location)) return httpTileReader(location);
  const dir = new MirrorDirectory(location);
  return { where: location, read: (path) => dir.read(path) };
}

function httpTileReader(prefix: string): TileReader {
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return {
    where: prefix,
    async read(path) {
      const url = new URL(path, base);
      let res: Response;
      try {
        // The checkpoint is mutable: ask caches along the way for the current one.
        res = await fetch(url, {
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
          headers: path === "checkpoint" ? { "cache-control": "no-cache" } : {},
        });
      } catch (cause) {
        throw new TrailproofError("MIRROR_INVALID", `cannot fetch ${url}: ${String(cause)}`, { cause });
      }
      if (res.status === 404) return undefined;
      if (!res.ok) throw new TrailproofError("MIRROR_INVALID", `${url} answered ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}
