export * from "./pseudonym.js";
export * from "./pseudonymise-event.js";
