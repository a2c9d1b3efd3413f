// RFC 5424 section 6.3 STRUCTURED-DATA: one SD-ELEMENT of the stream's
// parameters. SD-ID and PARAM-NAMEs are SD-NAMEs (1-32 printable US-ASCII
// but `=`, space, `]` and `"`); a PARAM-VALUE is UTF-8 with `"`, `\` and `]`
// escaped by a backslash (section 6.3.3).

/**
 * The default SD-ID. 32473 is the example enterprise number that RFC 5612
 * reserves for documentation: an operator who owns an IANA private enterprise
 * number should configure `name@their-number` (sd_id).
 */
export const DEFAULT_SD_ID = "trailproof@32473";

const SD_NAME = /^[!#-<>-\\^-~]{1,32}$/;
/** RFC 5424 section 7.2.2: an SD-ID without `@` is reserved for IANA; ours must be name@digits. */
const ENTERPRISE_SD_ID = /^[!#-<>?A-\\^-~]{1,32}@[0-9]+(\.[0-9]+)*$/;

/** True when `name` is an SD-NAME. */
export function isSdName(name: string): boolean {
  return SD_NAME.test(name);
}

/** True when `id` is a private SD-ID, name@enterprise-number, at most 32 characters in all. */
export function isPrivateSdId(id: string): boolean {
  return id.length <= 32 && ENTERPRISE_SD_ID.test(id);
}

/** Section 6.3.3: `"`, `\` and `]` in a PARAM-VALUE are escaped with a backslash. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (ch) => `\\${ch}`);
}

/**
 * `[sdId name="value" ...]`. Requires isPrivateSdId(sdId) and isSdName for
 * every parameter name; parameters are written in the order given.
 */
export function buildSdElement(sdId: string, params: readonly (readonly [string, string])[]): string {
  let out = `[${sdId}`;
  for (const [name, value] of params) out += ` ${name}="${escapeParamValue(value)}"`;
  return `${out}]`;
}
