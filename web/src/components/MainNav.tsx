// The main menu on one line whatever the language and the role: the pages that fit are shown in
// order, the rest go under "More" (a competent authority has fourteen pages, and Armenian labels are
// long). Widths are measured from an invisible copy of the labels, again whenever the menu's width or
// the labels change.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

export type NavItem = { readonly hash: string; readonly label: string; readonly current: boolean };

export function MainNav({ items }: { items: readonly NavItem[] }) {
  const { t } = useTranslation();
  const navRef = useRef<HTMLElement>(null);
  const measureRef = useRef<HTMLUListElement>(null);
  const moreRef = useRef<HTMLDetailsElement>(null);
  const [fits, setFits] = useState(items.length);
  const labels = items.map((i) => i.label).join("\u0000");

  // biome-ignore lint/correctness/useExhaustiveDependencies: the labels are what is measured
  useLayoutEffect(() => {
    const nav = navRef.current;
    const measure = measureRef.current;
    if (!nav || !measure) return;
    const layout = () => {
      const widths = [...measure.children].map((li) => (li as HTMLElement).offsetWidth);
      const more = widths.pop() ?? 0;
      const room = nav.clientWidth - 16;
      const total = widths.reduce((a, b) => a + b, 0);
      let count = widths.length;
      if (total > room) {
        let used = more;
        count = 0;
        while (count < widths.length && used + (widths[count] ?? 0) <= room) used += widths[count++] ?? 0;
      }
      setFits(count);
    };
    layout();
    const observer = new ResizeObserver(layout);
    observer.observe(nav);
    return () => observer.disconnect();
  }, [labels]);

  // An open "More" closes on a click anywhere else, as a menu does.
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const more = moreRef.current;
      if (more?.open && !more.contains(event.target as Node)) more.open = false;
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);

  const shown = items.slice(0, fits);
  const rest = items.slice(fits);
  const close = () => {
    if (moreRef.current) moreRef.current.open = false;
  };
  return (
    <nav className="app-nav" aria-label="main" ref={navRef}>
      <ul>
        {shown.map((n) => (
          <li key={n.hash}>
            <a href={n.hash} aria-current={n.current ? "page" : undefined}>
              {n.label}
            </a>
          </li>
        ))}
        {rest.length > 0 ? (
          <li>
            <details className="nav-more" ref={moreRef} data-testid="nav-more">
              <summary className={rest.some((n) => n.current) ? "current" : undefined}>
                {t("nav.more")}
              </summary>
              <ul>
                {rest.map((n) => (
                  <li key={n.hash}>
                    <a href={n.hash} aria-current={n.current ? "page" : undefined} onClick={close}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ) : null}
      </ul>
      <ul className="nav-measure" aria-hidden="true" ref={measureRef}>
        {items.map((n) => (
          <li key={n.hash}>
            <span className="nav-link">{n.label}</span>
          </li>
        ))}
        <li>
          <span className="nav-link">{t("nav.more")} ▾</span>
        </li>
      </ul>
    </nav>
  );
}
