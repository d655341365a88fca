/** Entry: styles, the panels, the live stream, the app. */
import "weui/dist/style/weui.min.css";
import "./ui/app.css";
import "./phone/phone.css";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { I18nProvider } from "./i18n/index.js";
import { startLive } from "./live/bus.js";
import "./panels/index.js";

startLive();
const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <I18nProvider>
      <App />
    </I18nProvider>,
  );
