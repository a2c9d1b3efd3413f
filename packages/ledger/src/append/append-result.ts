// What an append answers for each input: a receipt for a new or repeated
// event, or the problems that made it be refused.
import type { Problem } from "@trailproof/core";

export type AppendResult =
  | { status: "created" | "duplicate"; id: string; index: number; leafHash: string; receivedAt: string }
  | { status: "rejected"; id: string | null; problems: Problem[] };
