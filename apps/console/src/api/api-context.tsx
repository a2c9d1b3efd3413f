// The client a page talks through: the signed-in person's, or in /embed the
// viewer token's. Pages never build their own.
import { createContext, type ReactNode, useContext } from "react";
import type { ApiClient } from "./api-client.js";
import type { Role } from "./types.js";

export interface ApiContextValue {
  api: ApiClient;
  role: Role;
  /** In the embedded viewer: no navigation chrome, only events and their details. */
  embedded: boolean;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ value, children }: { value: ApiContextValue; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error("useApi outside ApiProvider");
  return value;
}
