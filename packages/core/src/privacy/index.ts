export * from "./disclosure-subject.js";
export * from "./erased-value.js";
export * from "./pseudonym.js";
