export {
  type Checkpoint,
  encodeCheckpointBody,
  parseCheckpointBody,
  signCheckpoint,
  verifyCheckpoint,
} from "./checkpoint.js";
export {
  ALG_COSIGNATURE_V1,
  addSignatureLines,
  buildCosigner,
  type Cosignature,
  type CosignatureVerifier,
  type Cosigner,
  computeCosignerKeyHash,
  cosignatureMessage,
  encodeCosignerKey,
  parseCosignerKey,
  verifyCosignatures,
} from "./cosignature.js";
export { buildEd25519Signer, type PortableSigner } from "./ed25519-signer.js";
export { type Note, type NoteSignature, type NoteSigner, parseNote, signNote, verifyNote } from "./signed-note.js";
export {
  ALG_ED25519,
  computeKeyHash,
  encodeVerifierKey,
  isValidKeyName,
  type NoteVerifier,
  parseVerifierKey,
} from "./verifier-key.js";
