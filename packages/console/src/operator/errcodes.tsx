/**
 * WeChat's return codes as the platform answers them (the protocol's error table, written from the
 * spec): errmsg, meaning, and whether the text is WeChat's own. `#/errcodes/40001` scrolls to and
 * marks one code (the API log links here from each error).
 */
import { useEffect, useState } from "react";
import { get } from "../api/client.js";
import type { ErrcodeView } from "../api/types.js";
import { useT } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { useLoad } from "../ui/data.js";
import { ErrorBox } from "../ui/kit.js";

export function ErrcodesPanel({ path }: PanelProps) {
  const t = useT();
  const codes = useLoad(async () => (await get<{ errcodes: ErrcodeView[] }>("/errcodes")).errcodes, []);
  const [filter, setFilter] = useState("");
  const wanted = path[0] ?? "";
  useEffect(() => {
    if (wanted && codes.data)
      document.getElementById(`errcode-${wanted}`)?.scrollIntoView({ block: "center" });
  }, [wanted, codes.data]);
  const shown = (codes.data ?? []).filter(
    (c) =>
      !filter ||
      String(c.code).includes(filter) ||
      `${c.errmsg} ${c.meaning}`.toLowerCase().includes(filter.toLowerCase()),
  );
  const known = codes.data?.some((c) => String(c.code) === wanted);
  return (
    <div>
      <div className="toolbar">
        <h1>{t("errcodes")}</h1>
        <input
          aria-label={t("filter")}
          placeholder={t("filter")}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <p className="muted small">{t("errcodesHelp")}</p>
      {wanted && codes.data && !known && (
        <div className="error-box">{t("errcodeUnknown", { code: wanted })}</div>
      )}
      <ErrorBox error={codes.error} />
      <div className="table-wrap">
        <table className="table dense">
          <thead>
            <tr>
              <th>errcode</th>
              <th>errmsg</th>
              <th>{t("meaning")}</th>
              <th>{t("wechatText")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.code} id={`errcode-${c.code}`} className={String(c.code) === wanted ? "marked" : ""}>
                <td className="mono">{c.code}</td>
                <td className="mono">{c.errmsg}</td>
                <td>{c.meaning}</td>
                <td>{c.quoted ? "✓" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
