import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { NodeInfoT } from "../../src/api/schemas.ts";
import { App } from "./App.tsx";
import { api } from "./api.ts";
import { initI18n, storedLanguage } from "./i18n.ts";
import "./styles.css";

async function start(): Promise<void> {
  const node = await api<NodeInfoT>("GET", "/api/node");
  // A node's default language is its Party's; the user's own choice, once made, wins.
  await initI18n(storedLanguage() ?? node.defaultLanguage);
  const root = document.getElementById("root");
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App node={node} />
    </StrictMode>,
  );
}

void start();
