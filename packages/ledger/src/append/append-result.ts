// What an append answers for each input: a receipt for a new or repeated
// event, the problems that made it be refused, or (in an all-or-nothing
// append where another input was refused) word that it was not written.
import type { Problem } from "@trailproof/core";

export type AppendResult =
  | { status: "created" | "duplicate"; id: string; index: number; leafHash: string; receivedAt: string }
  | { status: "rejected"; id: string | null; problems: Problem[] }
  | { status: "withheld"; id: string | null };
