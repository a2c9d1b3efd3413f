// Entry point of the console bundle.
import "@fontsource-variable/inter";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/components.css";
import "./styles/pages.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.js";
import { SessionProvider } from "./auth/session.js";
import { readerLocale } from "./lib/format.js";

// The page speaks the browser's language, the locale every date and number is formatted in.
document.documentElement.lang = readerLocale();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <SessionProvider>
        <App />
      </SessionProvider>
    </StrictMode>,
  );
}
