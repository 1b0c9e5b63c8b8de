/** "Outreach": the register of online spaces, links, message templates, contacts and the statistics dashboard. */

import { useMemo, useState } from "preact/hooks";
import type { ConsoleApi } from "../api";
import { useI18n } from "../i18n";
import { OutreachApi } from "./api";
import { ContactsPage } from "./ContactsPage";
import { DashboardPage } from "./DashboardPage";
import { LinksPage } from "./LinksPage";
import { RegisterPage } from "./RegisterPage";
import { SpacePage } from "./SpacePage";
import { TemplatesPage } from "./TemplatesPage";
import { ReportPage } from "../report/ReportPage";
import { reportStrings } from "../report/strings";

const PAGES = ["register", "links", "templates", "contacts", "dashboard", "report"] as const;
export type OutreachPage = (typeof PAGES)[number];

export function OutreachView({ api }: { api: ConsoleApi }) {
  const { t, lang } = useI18n();
  const outreach = useMemo(() => new OutreachApi(api), [api]);
  const [page, setPage] = useState<OutreachPage>("register");
  const [spaceId, setSpaceId] = useState<number | null>(null);
  /** The space the links page starts with (from a space's page). */
  const [linkSpace, setLinkSpace] = useState<number | null>(null);
  const go = (p: OutreachPage) => {
    setPage(p);
    setSpaceId(null);
    if (p !== "links") setLinkSpace(null);
  };
  return (
    <section class="admin outreach" aria-labelledby="outreach-heading">
      <h2 id="outreach-heading" class="no-print">
        {t.outreach.heading}
      </h2>
      <nav class="subnav no-print" aria-label={t.outreach.heading}>
        {PAGES.map((p) => (
          <button key={p} type="button" data-testid={`outreach-${p}`} aria-current={page === p ? "page" : undefined} onClick={() => go(p)}>
            {p === "report" ? reportStrings[lang].page : t.outreach.pages[p]}
          </button>
        ))}
      </nav>
      {page === "register" && spaceId === null && <RegisterPage outreach={outreach} onOpen={setSpaceId} />}
      {page === "register" && spaceId !== null && (
        <SpacePage
          key={spaceId}
          outreach={outreach}
          spaceId={spaceId}
          onBack={() => setSpaceId(null)}
          onLinks={() => {
            setLinkSpace(spaceId);
            setPage("links");
            setSpaceId(null);
          }}
        />
      )}
      {page === "links" && <LinksPage outreach={outreach} initialSpace={linkSpace} />}
      {page === "templates" && <TemplatesPage outreach={outreach} />}
      {page === "contacts" && <ContactsPage outreach={outreach} />}
      {page === "dashboard" && <DashboardPage outreach={outreach} />}
      {page === "report" && <ReportPage api={api} />}
    </section>
  );
}
