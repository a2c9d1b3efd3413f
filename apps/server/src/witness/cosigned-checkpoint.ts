// Checkpoints as GET /v1/log/checkpoint serves them, with their witnesses'
// cosignatures attached: the signed note exactly as the log signed it,
// followed by the stored cosignature lines. A note with more signature lines
// is still valid for the log's key, and each added line verifies against its
// witness's key (C2SP tlog-cosignature).
import { addSignatureLines } from "@trailproof/core";
import type { CheckpointRow, CosignatureStore } from "@trailproof/ledger";
import { Type } from "typebox";
import type { AppDeps } from "../deps.js";
import { latestSignedCheckpoint } from "../routes/signed-checkpoint.js";

export const CheckpointQuerySchema = Type.Object(
  {
    cosigned: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        description: "serve the newest checkpoint with at least this many witness cosignatures (0: the newest)",
      }),
    ),
  },
  { additionalProperties: false },
);

export async function withCosignatures(
  cosignatures: CosignatureStore,
  tenantId: number,
  checkpoint: CheckpointRow,
): Promise<string> {
  const lines = (await cosignatures.cosignaturesAt(tenantId, checkpoint.treeSize)).map((c) => c.line);
  return lines.length === 0 ? checkpoint.note : addSignatureLines(checkpoint.note, lines);
}

/**
 * The tenant's newest checkpoint with at least `min` cosignatures, as a
 * signed note with them attached; undefined when there is none (or no
 * checkpoint at all).
 */
export async function cosignedCheckpoint(
  deps: Pick<AppDeps, "ledger" | "cosignatures">,
  tenant: string,
  min: number,
): Promise<string | undefined> {
  const { tenantId } = await deps.ledger.tenantRecord(tenant);
  let checkpoint: CheckpointRow | undefined;
  if (min === 0) {
    checkpoint = await latestSignedCheckpoint(deps.ledger, tenant);
  } else {
    const size = await deps.cosignatures.newestCosigned(tenantId, min);
    if (size === undefined) return undefined;
    checkpoint = (await deps.ledger.checkpoints(tenant)).find((c) => c.treeSize === size);
  }
  return checkpoint && withCosignatures(deps.cosignatures, tenantId, checkpoint);
}
