// The service's version, read once from apps/server/package.json (the same
// relative path from src/ and from dist/), for the CEF header's Device Version.
import { readFileSync } from "node:fs";

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof pkg.version === "string" ? pkg.version : "0";
}

export const PRODUCT_VERSION = readVersion();
