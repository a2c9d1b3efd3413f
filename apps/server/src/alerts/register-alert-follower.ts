// The alert follower of a ledger: started once, by the first app built on
// it (tests build several apps over one data directory), and closed with the
// ledger. It needs the server's pseudonyms, so the server starts it, not the
// ledger package.
import type { Ledger } from "@trailproof/ledger";
import type { AppDeps } from "../deps.js";
import { AlertFollower } from "./alert-follower.js";

const followers = new WeakMap<Ledger, AlertFollower>();

export function alertFollowerOf(deps: AppDeps, onTickError: (err: unknown) => void): AlertFollower {
  let follower = followers.get(deps.ledger);
  if (follower === undefined) {
    follower = new AlertFollower(
      {
        ledger: deps.ledger,
        rules: deps.rules,
        query: deps.query,
        ...(deps.waitForSearch ? { waitForSearch: deps.waitForSearch } : {}),
      },
      {
        tickMs: deps.config.alertTickMs,
        onTickError,
        ...(deps.alertFollower?.beforeSave ? { beforeSave: deps.alertFollower.beforeSave } : {}),
      },
    );
    follower.follow();
    followers.set(deps.ledger, follower);
  }
  return follower;
}
