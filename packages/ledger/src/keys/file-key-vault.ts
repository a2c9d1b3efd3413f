// The key vault of a data directory: keys/<tenant>/<item>, secrets mode
// 0600, records 0644, each write made aside, fsynced and renamed, then the
// directory fsynced, so a crash leaves the old or the new item, never half.
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { checkKeyItem, type KeyItemMode, type KeyVault } from "./key-vault.js";

export class FileKeyVault implements KeyVault {
  readonly #dir: string;

  /** `dir` is the key directory (keys/), created with mode 0700 by the first write: reading never creates it. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  locate(tenant: string, name: string): string {
    checkKeyItem(tenant, name);
    return join(this.#dir, tenant, name);
  }

  async read(tenant: string, name: string): Promise<Uint8Array | undefined> {
    const path = this.locate(tenant, name);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  }

  async create(tenant: string, name: string, value: Uint8Array, mode: KeyItemMode): Promise<Uint8Array> {
    const existing = await this.read(tenant, name);
    if (existing) return existing;
    await this.write(tenant, name, value, mode);
    return value;
  }

  async write(tenant: string, name: string, value: Uint8Array, mode: KeyItemMode): Promise<void> {
    const path = this.locate(tenant, name);
    const dir = join(this.#dir, tenant);
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fileMode = mode === "secret" ? 0o600 : 0o644;
    const aside = `${path}.tmp`;
    const fd = openSync(aside, "w", fileMode);
    try {
      writeSync(fd, value);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(aside, fileMode);
    renameSync(aside, path);
    const d = openSync(dir, "r");
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  }

  async remove(tenant: string, name: string): Promise<void> {
    rmSync(this.locate(tenant, name), { force: true });
  }
}
