export * from "./pseudonym.js";
