/**
 * The fields that decide what an account may call — its type, verification and apply-only grants —
 * as both the create form and an account's settings show them.
 */
import { useT } from "../i18n/index.js";
import { Field } from "../ui/kit.js";

export const GRANTS = ["pay", "shop", "card", "device"] as const;

export type AccountKind = "service" | "subscription";

export function AccountKindFields(p: {
  type: AccountKind;
  setType(t: AccountKind): void;
  verified: boolean;
  setVerified(v: boolean): void;
  grants: string[];
  setGrants(g: string[]): void;
}) {
  const t = useT();
  return (
    <>
      <Field label="accountType">
        <select value={p.type} onChange={(e) => p.setType(e.target.value as AccountKind)}>
          <option value="service">{t("typeService")}</option>
          <option value="subscription">{t("typeSubscription")}</option>
        </select>
      </Field>
      <Field label="verified">
        <input type="checkbox" checked={p.verified} onChange={(e) => p.setVerified(e.target.checked)} />
      </Field>
      <fieldset className="field">
        <legend className="field-label">{t("grants")}</legend>
        {GRANTS.map((g) => (
          <label key={g} className="inline">
            <input
              type="checkbox"
              checked={p.grants.includes(g)}
              onChange={(e) =>
                p.setGrants(e.target.checked ? [...p.grants, g] : p.grants.filter((x) => x !== g))
              }
            />
            {g}
          </label>
        ))}
      </fieldset>
    </>
  );
}
