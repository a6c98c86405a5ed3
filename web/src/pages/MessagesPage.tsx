import { useTranslation } from "react-i18next";
import type { MessageViewT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, Loading, useLoad } from "../components/common.tsx";
import { formatDate } from "../i18n.ts";

export function MessagesPage() {
  const { t } = useTranslation();
  const { data, error, loading } = useLoad(() => api<MessageViewT[]>("GET", "/api/messages"), []);
  return (
    <div className="page">
      <h1>{t("messages.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty text={t("messages.empty")} /> : null}
      {data && data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("messages.at")}</th>
                <th>{t("messages.direction")}</th>
                <th>{t("messages.kind")}</th>
                <th>{t("messages.from")}</th>
                <th>{t("messages.to")}</th>
                <th>{t("messages.state")}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{formatDate(m.at)}</td>
                  <td>{m.direction === "in" ? t("messages.incoming") : t("messages.outgoing")}</td>
                  <td>{t(`messages.kinds.${m.kind}`, m.kind)}</td>
                  <td>{m.from}</td>
                  <td>{m.to}</td>
                  <td>
                    {t(`messages.states.${m.state}`, m.state)}
                    {m.channel ? ` (${t(`messages.channels.${m.channel}`, m.channel)})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
