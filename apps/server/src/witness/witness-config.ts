// TRAILPROOF_WITNESSES: the witnesses the service asks to cosign its
// checkpoints, as "<witness vkey> <submission URL prefix>" entries separated
// by commas or newlines (docs/witness.md). A vkey holds no space or comma.
import { parseCosignerKey, portableHasher, TrailproofError } from "@trailproof/core";

export interface WitnessConfig {
  /** The witness's verifier key (signature type 0x04); its cosignatures are checked against it. */
  verifierKey: string;
  /** The key name, the witness's label in metrics and logs. */
  name: string;
  /** The submission prefix: requests go to `<url>/add-checkpoint`. */
  url: string;
}

export function parseWitnessList(value: string | undefined): WitnessConfig[] {
  const entries = (value ?? "")
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: WitnessConfig[] = [];
  for (const entry of entries) {
    const fail = (why: string) =>
      new TrailproofError(
        "CONFIG_INVALID",
        `TRAILPROOF_WITNESSES entry ${JSON.stringify(entry)}: ${why}; each entry is "<witness vkey> <URL>"`,
      );
    const parts = entry.split(/\s+/);
    if (parts.length !== 2) throw fail("expected a verifier key and a URL");
    const [verifierKey, url] = parts as [string, string];
    let name: string;
    try {
      name = parseCosignerKey(portableHasher, verifierKey).name;
    } catch (err) {
      throw fail(err instanceof Error ? err.message : String(err));
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw fail("the URL is not a URL");
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw fail("the URL must be http(s)");
    if (out.some((w) => w.verifierKey === verifierKey)) throw fail("the witness is listed twice");
    out.push({ verifierKey, name, url: url.replace(/\/+$/, "") });
  }
  return out;
}
