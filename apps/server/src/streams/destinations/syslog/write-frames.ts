// Writes a batch of messages to a socket, one frame at a time, waiting for
// 'drain' whenever the socket's buffer is full, so no more than the batch in
// hand (and Node's high-water mark of frames) is ever held in memory.
import type { Socket } from "node:net";

/**
 * Resolves when the last frame is handed to the kernel (its write callback);
 * rejects on a socket error, on the socket closing, or after `timeoutMs`.
 * `frames` is read lazily, so frames are built only as they are written.
 */
export function writeFrames(socket: Socket, frames: Iterable<Buffer>, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off("error", finish);
      socket.off("close", onClose);
      socket.off("drain", pump);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onClose = () => finish(new Error("connection closed"));
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.on("error", finish);
    socket.once("close", onClose);
    if (socket.destroyed || !socket.writable) return finish(new Error("connection closed"));
    const iterator = frames[Symbol.iterator]();
    let next = iterator.next();
    if (next.done) return finish();
    function pump(): void {
      while (!done && !next.done) {
        const frame = next.value;
        next = iterator.next();
        const last = next.done === true;
        const roomLeft = socket.write(frame, last ? (err) => finish(err ?? undefined) : undefined);
        if (!roomLeft && !last) {
          socket.once("drain", pump);
          return;
        }
      }
    }
    pump();
  });
}
