// Binds the stream form's text inputs to the draft: for a field, the value
// to show, the edit to write back and the API's problems for it, spread into
// a ProblemField so each input names its field once.
import type { DraftField, Problem, StreamDraft } from "./stream-draft.js";

/** The draft's free-text fields (not the ones chosen from a fixed list). */
export type TextDraftField = {
  [K in keyof StreamDraft]: string extends StreamDraft[K] ? K : never;
}[keyof StreamDraft];

export interface DraftBinding {
  value: string;
  onChange: (value: string) => void;
  problems: readonly Problem[] | undefined;
}

export function bindDraft(
  draft: StreamDraft,
  set: (patch: Partial<StreamDraft>) => void,
  problems: Map<DraftField, Problem[]>,
): (field: TextDraftField) => DraftBinding {
  return (field) => ({
    value: draft[field],
    onChange: (value) => set({ [field]: value }),
    problems: problems.get(field),
  });
}
