// Saved searches live in this browser's localStorage: a name and the search's
// query string. Nothing is sent to the server, so they are per browser.

export interface SavedSearch {
  name: string;
  query: string;
}

const KEY = "trailproof.savedSearches";

export function loadSavedSearches(storage: Storage = window.localStorage): SavedSearch[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (s): s is SavedSearch =>
        typeof s === "object" && s !== null && typeof s.name === "string" && typeof s.query === "string",
    );
  } catch {
    return [];
  }
}

/** Adds or replaces the search called `name`; returns the new list, sorted by name. */
export function saveSearch(name: string, query: string, storage: Storage = window.localStorage): SavedSearch[] {
  const list = loadSavedSearches(storage).filter((s) => s.name !== name);
  list.push({ name, query });
  list.sort((a, b) => a.name.localeCompare(b.name));
  storage.setItem(KEY, JSON.stringify(list));
  return list;
}

export function deleteSavedSearch(name: string, storage: Storage = window.localStorage): SavedSearch[] {
  const list = loadSavedSearches(storage).filter((s) => s.name !== name);
  storage.setItem(KEY, JSON.stringify(list));
  return list;
}
