// The submitting half of C2SP tlog-witness add-checkpoint: one POST of
// "old N", the consistency proof lines, a blank line and the signed
// checkpoint, and the witness's answer sorted into what the submitter does next.
import { TrailproofError, toBase64 } from "@trailproof/core";

export type WitnessReply =
  | { kind: "cosigned"; lines: string[] }
  /** 409 with text/x.tlog.size: the witness's latest cosigned size. */
  | { kind: "conflict"; size: number }
  | { kind: "refused"; status: number; message: string };

/** Longest wait for a witness's answer. */
export const WITNESS_TIMEOUT_MS = 10_000;
const MAX_MESSAGE_CHARS = 200;

export function encodeAddCheckpoint(oldSize: number, proof: readonly Uint8Array[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${toBase64(h)}\n`).join("")}\n${note}`;
}

/** Throws WITNESS_UNREACHABLE when no answer came; every answer is a WitnessReply. */
export async function addCheckpoint(
  url: string,
  oldSize: number,
  proof: readonly Uint8Array[],
  note: string,
): Promise<WitnessReply> {
  let res: Response;
  let body: string;
  try {
    res = await fetch(`${url}/add-checkpoint`, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: encodeAddCheckpoint(oldSize, proof, note),
      signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS),
    });
    body = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const why = typeof cause?.code === "string" ? cause.code : err instanceof Error ? err.message : String(err);
    throw new TrailproofError("WITNESS_UNREACHABLE", `witness ${url} did not answer: ${why}`, { cause: err });
  }
  if (res.status === 200) {
    // Witness output is untrusted: only signature lines are kept; each is verified by the caller.
    return { kind: "cosigned", lines: body.split("\n").filter((l) => l.startsWith("\u2014 ")) };
  }
  const sizeText = body.trim();
  if (res.status === 409 && /^(0|[1-9][0-9]{0,15})$/.test(sizeText))
    return { kind: "conflict", size: Number(sizeText) };
  return { kind: "refused", status: res.status, message: body.slice(0, MAX_MESSAGE_CHARS).trim() };
}
