#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx trailproof` works right after install.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
