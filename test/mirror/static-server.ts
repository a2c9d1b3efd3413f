// A static file server over a directory for the mirror tests (node:http), as
// any web server or object store would serve a tlog-tiles copy: GET only,
// 404 for what is not there.
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join, normalize } from "node:path";

export async function serveDirectory(
  root: string,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    requests.push(path);
    if (req.method !== "GET" || path.includes("..")) {
      res.writeHead(405).end();
      return;
    }
    readFile(join(root, path)).then(
      (bytes) => {
        const type = path === "/checkpoint" ? "text/plain; charset=utf-8" : "application/octet-stream";
        res.writeHead(200, { "content-type": type }).end(bytes);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
