/**
 * The account's menu at the bottom of the phone, as the user's client shows it (`GET
 * /users/{user}/menu`): up to three buttons, a parent opens its sub-menu above the bar, a leaf is
 * tapped by its position. Escape closes an open sub-menu.
 */
import { useState } from "react";
import type { MenuButtonView } from "../api/types.js";
import { useT } from "../i18n/index.js";

export interface Tap {
  /** 0-based position: "1" or "2.0". */
  position: string;
  button: MenuButtonView;
}

export function MenuBar({
  buttons,
  onTap,
  onKeyboard,
}: {
  buttons: MenuButtonView[];
  onTap(t: Tap): void;
  onKeyboard(): void;
}) {
  const t = useT();
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div
      className="menu-bar"
      role="menubar"
      aria-label={t("accountMenu")}
      onKeyDown={(e) => e.key === "Escape" && setOpen(null)}
    >
      <button
        type="button"
        className="menu-toggle"
        onClick={onKeyboard}
        aria-label={t("showKeyboard")}
        title={t("showKeyboard")}
      >
        ⌨
      </button>
      {buttons.map((b, i) => {
        const subs = b.sub_button ?? [];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a menu button is its position ("1", "2.0")
          <div key={`${b.name}@${i}`} className="menu-slot">
            <button
              type="button"
              role="menuitem"
              aria-haspopup={subs.length > 0 ? "menu" : undefined}
              aria-expanded={subs.length > 0 ? open === i : undefined}
              className="menu-button"
              onClick={() => {
                if (subs.length > 0) setOpen(open === i ? null : i);
                else {
                  setOpen(null);
                  onTap({ position: String(i), button: b });
                }
              }}
            >
              {subs.length > 0 && <span aria-hidden="true">≡ </span>}
              {b.name}
            </button>
            {open === i && subs.length > 0 && (
              <div className="sub-menu" role="menu">
                {subs.map((s, j) => (
                  <button
                    // biome-ignore lint/suspicious/noArrayIndexKey: a menu button is its position
                    key={`${s.name}@${j}`}
                    type="button"
                    role="menuitem"
                    className="sub-button"
                    onClick={() => {
                      setOpen(null);
                      onTap({ position: `${i}.${j}`, button: s as MenuButtonView });
                    }}
                  >
                    {s.name}
                  </button>
                ))}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
