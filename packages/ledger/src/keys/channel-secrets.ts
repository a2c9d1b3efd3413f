// Notification channels' signing secrets at rest (notification-store.ts):
// AES-256-GCM under the operator's master key, the AAD binding the channel
// id, so a sealed secret copied to another channel's row does not open. The
// database alone (a backup, a replica) never yields a secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { TrailproofError, utf8 } from "@trailproof/core";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DOMAIN = "trailproof channel secret v1\n";

export interface ChannelSecretSealer {
  seal(channelId: string, secret: string): string;
  /** Throws MASTER_KEY_MISMATCH when `sealed` was not sealed for this channel under this master key. */
  open(channelId: string, sealed: string): string;
}

/** base64(nonce || ciphertext || tag). */
export function channelSecretSealer(masterKey: Uint8Array): ChannelSecretSealer {
  const aad = (channelId: string) => Buffer.from(utf8(`${DOMAIN}${channelId}`));
  return {
    seal(channelId, secret) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", masterKey, nonce);
      cipher.setAAD(aad(channelId));
      return Buffer.concat([nonce, cipher.update(secret, "utf8"), cipher.final(), cipher.getAuthTag()]).toString(
        "base64",
      );
    },
    open(channelId, sealed) {
      try {
        const bytes = Buffer.from(sealed, "base64");
        const decipher = createDecipheriv("aes-256-gcm", masterKey, bytes.subarray(0, NONCE_BYTES));
        decipher.setAAD(aad(channelId));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]).toString("utf8");
      } catch (cause) {
        throw new TrailproofError(
          "MASTER_KEY_MISMATCH",
          `the secret of channel ${channelId} does not open with this master key: start with the master key it was written with`,
          { cause },
        );
      }
    },
  };
}
