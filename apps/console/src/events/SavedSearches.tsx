// Saved searches (localStorage): pick one to run it, save the current one
// under a name, delete one.
import { type FormEvent, useState } from "react";
import { SelectField } from "../components/SelectField.js";
import { deleteSavedSearch, loadSavedSearches, saveSearch } from "../lib/saved-searches.js";

export function SavedSearches({ current, onPick }: { current: string; onPick: (query: string) => void }) {
  const [list, setList] = useState(loadSavedSearches);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const selected = list.find((s) => s.query === current)?.name ?? "";

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    setList(saveSearch(name.trim(), current));
    setNaming(false);
    setName("");
  };

  return (
    <div className="saved-searches">
      <SelectField
        inline
        label="Saved searches"
        value={selected}
        onChange={(v) => {
          const found = list.find((s) => s.name === v);
          if (found) onPick(found.query);
        }}
        disabled={list.length === 0}
      >
        <option value="">{list.length === 0 ? "None yet" : "Choose…"}</option>
        {list.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
      </SelectField>
      {selected && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => setList(deleteSavedSearch(selected))}
          aria-label={`Delete saved search ${selected}`}
        >
          Delete
        </button>
      )}
      {naming ? (
        <form onSubmit={save} className="inline-form">
          <label className="field field-inline">
            <span className="field-label">Name</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="High-risk changes"
              aria-label="Name for this search"
            />
          </label>
          <button type="submit" className="btn btn-small btn-primary">
            Save
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => setNaming(true)} disabled={!current}>
          Save this search
        </button>
      )}
    </div>
  );
}
