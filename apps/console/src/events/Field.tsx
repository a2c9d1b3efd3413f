// One labelled value in a description list; a withheld personal value says
// so, an erased one says when and by which erasure, an absent one is left out.
import type { ReactNode } from "react";
import type { EventItem } from "../api/types.js";
import { Erased } from "../components/Erased.js";
import { Withheld } from "../components/Withheld.js";
import { erasedMarker, erasureAt } from "../lib/erased.js";
import { isWithheld } from "../lib/event-view.js";

export function Field({
  label,
  value,
  item,
  pointer,
  mono = false,
}: {
  label: string;
  value: ReactNode;
  item?: EventItem;
  pointer?: string;
  mono?: boolean;
}) {
  const withheld = item !== undefined && pointer !== undefined && isWithheld(item, pointer);
  const erased = item !== undefined && pointer !== undefined ? erasureAt(item, pointer) : undefined;
  if (erased) {
    return (
      <>
        <dt>{label}</dt>
        <dd className="break">
          <Erased erasure={erased} />
        </dd>
      </>
    );
  }
  if ((value === undefined || value === null || value === "") && !withheld) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? "mono break" : "break"}>{withheld && value == null ? <Withheld /> : value}</dd>
    </>
  );
}

export function text(value: unknown): string | undefined {
  if (value === undefined || value === null || erasedMarker(value)) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
