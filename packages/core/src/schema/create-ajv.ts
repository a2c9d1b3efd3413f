// The one Ajv configuration Trailproof validates with: JSON Schema 2020-12,
// every error reported, unknown keywords refused (a typo such as `requried`
// must not silently validate nothing), formats from ajv-formats plus `ip`.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsLib from "ajv-formats";

const addFormats = addFormatsLib as unknown as typeof addFormatsLib.default;

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    // Never register schemas by $id: one instance compiles every tenant's
    // schemas, and one $id must not shadow or block another.
    addUsedSchema: false,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  addFormats(ajv);
  const ipv4 = ajv.formats.ipv4 as RegExp;
  const ipv6 = ajv.formats.ipv6 as RegExp;
  ajv.addFormat("ip", (text: string) => ipv4.test(text) || ipv6.test(text));
  return ajv;
}
