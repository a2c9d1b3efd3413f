// The package as a platform imports it: by name, through its exports map.
import * as client from "@trailproof/client";
import * as node from "@trailproof/client/node";
import { describe, expect, it } from "vitest";

describe("@trailproof/client by name", () => {
  it("exposes the isomorphic API at the root", () => {
    expect(typeof client.TrailproofClient).toBe("function");
    expect(typeof client.verifyReceipt).toBe("function");
    expect(typeof client.MemorySpool).toBe("function");
    expect(client.events.pageUpdated({ target: { type: "page", id: "p" } }).action).toBe("app.page.update");
  });

  it("exposes the Node parts at /node, and installs the async ambient context on import", () => {
    expect(typeof node.FileSpool).toBe("function");
    expect(typeof node.withAutomation).toBe("function");
    expect(typeof node.expressContext).toBe("function");
    expect(typeof node.fastifyContext).toBe("function");
    expect(client.ambientSource()).toBe(node.nodeAmbient);
  });
});
