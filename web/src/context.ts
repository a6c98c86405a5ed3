import { createContext, useContext } from "react";
import type { NodeInfoT, SessionViewT } from "../../src/api/schemas.ts";

export type AppState = {
  node: NodeInfoT;
  session: SessionViewT;
  navigate: (hash: string) => void;
  refreshSession: () => Promise<void>;
};

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const value = useContext(AppContext);
  if (!value) throw new Error("AppContext missing");
  return value;
}
