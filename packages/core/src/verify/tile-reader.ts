// How the tile verifier reads a tlog-tiles copy: by path relative to the log's
// prefix. Core does no I/O; the CLI supplies a directory and an HTTP reader.

export interface TileReader {
  /** Where the copy is, for messages. */
  readonly where: string;
  /**
   * The bytes at `path` ("checkpoint", "tile/0/000", ...), or undefined when
   * there is no such resource (a missing file, an HTTP 404). Any other failure
   * MUST reject: a copy that cannot be read is not a copy that verified.
   */
  read(path: string): Promise<Uint8Array | undefined>;
}
