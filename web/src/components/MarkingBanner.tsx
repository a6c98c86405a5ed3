import { useTranslation } from "react-i18next";
import type { CarrierViewT, NodeInfoT } from "../../../src/api/schemas.ts";
import { currentLang } from "../i18n.ts";

/** Banner colours per level rank: 1 secret, 2 top secret, 3 of special importance. */
export const LEVEL_COLOURS: Record<number, { background: string; color: string }> = {
  1: { background: "#b3261e", color: "#ffffff" },
  2: { background: "#b45309", color: "#ffffff" },
  3: { background: "#1f1147", color: "#ffd54f" },
};

type Props = {
  node: NodeInfoT;
  markings: CarrierViewT["markings"];
  levelId: string;
  rank: number;
  originatorParty: "KZ" | "AM";
  position: "top" | "bottom";
};

/** The marking banner: the originator's marking and the other Party's equivalent (A2.1, A6.1). */
export function MarkingBanner({ node, markings, levelId, rank, originatorParty, position }: Props) {
  const { t } = useTranslation();
  const colours = LEVEL_COLOURS[rank] ?? { background: "#444", color: "#fff" };
  const level = node.levels.find((l) => l.id === levelId);
  const levelName = level?.names[currentLang()] ?? level?.names.en ?? levelId;
  const other = originatorParty === "KZ" ? "AM" : "KZ";
  return (
    <div
      className={`marking-banner marking-${position}`}
      style={colours}
      role="note"
      data-testid={`marking-banner-${position}`}
      data-level={levelId}
    >
      <div className="marking-texts">
        {markings.map((m, i) => (
          <span key={`${m.party}-${m.language}`} className="marking-text" lang={m.language}>
            {i > 0 ? (
              <span className="marking-sep" aria-hidden="true">
                {" "}
                │{" "}
              </span>
            ) : null}
            {m.text.toLocaleUpperCase(m.language)}
          </span>
        ))}
      </div>
      <div className="marking-caption" data-testid="marking-caption">
        {t("carrier.bannerCaption", {
          level: levelName,
          origin: t(`party.${originatorParty}`),
          other: t(`party.${other}`),
        })}
      </div>
    </div>
  );
}
