export * from "./disclosure-subject.js";
export * from "./erased-value.js";
export * from "./pseudonym.js";
export * from "./pseudonymise-event.js";
