// The source-entry rule of the OTLP and CloudEvents mappings: the source's
// own fields are never hidden by a sender's entry of the same name, and
// metadata too big for an event loses its largest entries, named.
import { MAX_METADATA_BYTES } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { sourceMetadata } from "./fit-metadata.js";

describe("sourceMetadata", () => {
  it("moves a sender's entry named like the source inside the source's own", () => {
    const metadata = sourceMetadata({ otlp: "mine", tier: "gold" }, "otlp", { severity_number: 9 }, "attribute_otlp");
    expect(metadata).toEqual({ tier: "gold", otlp: { severity_number: 9, attribute_otlp: "mine" } });
  });

  it("drops the largest entries of what does not fit and names them", () => {
    const big = "x".repeat(MAX_METADATA_BYTES);
    const metadata = sourceMetadata({ blob: big, tier: "gold" }, "cloudevents", { id: "e1" }, "data_cloudevents");
    expect(metadata).toEqual({ tier: "gold", cloudevents: { id: "e1", trimmed: ["blob"] } });
  });
});
