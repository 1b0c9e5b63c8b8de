/** Admin pages (role admin): staff accounts, service settings, opening hours, wrap-up tags, shared replies. */

import { useMemo, useState } from "preact/hooks";
import type { Counselor } from "../types";
import { AdminApi, type ConsoleApi } from "../api";
import { AuditPage } from "./AuditPage";
import { useI18n } from "../i18n";
import { OutreachApi } from "../outreach/api";
import { CannedPage } from "./CannedPage";
import { ListsPage } from "./ListsPage";
import { SchedulePage } from "./SchedulePage";
import { SettingsPage } from "./SettingsPage";
import { TagsPage } from "./TagsPage";
import { UsersPage } from "./UsersPage";
import { ResourcesPage } from "../resources/ResourcesPage";
import { resourceStrings } from "../resources/strings";

const PAGES = ["users", "settings", "hours", "tags", "canned", "resources", "categories", "indicators", "audit"] as const;
type Page = (typeof PAGES)[number];

export function AdminView({ api, me }: { api: ConsoleApi; me: Counselor }) {
  const { t, lang } = useI18n();
  const admin = useMemo(() => new AdminApi(api), [api]);
  const outreach = useMemo(() => new OutreachApi(api), [api]);
  const [page, setPage] = useState<Page>("users");
  return (
    <section class="admin" aria-labelledby="admin-heading">
      <h2 id="admin-heading">{t.admin.heading}</h2>
      <nav class="subnav" aria-label={t.admin.heading}>
        {PAGES.map((p) => (
          <button
            key={p}
            type="button"
            data-testid={`admin-${p}`}
            aria-current={page === p ? "page" : undefined}
            onClick={() => setPage(p)}
          >
            {p === "audit" ? t.privacy.audit.page : p === "resources" ? resourceStrings[lang].page : t.admin.pages[p]}
          </button>
        ))}
      </nav>
      {page === "users" && <UsersPage admin={admin} me={me} />}
      {page === "settings" && <SettingsPage admin={admin} />}
      {page === "hours" && <SchedulePage api={api} admin={admin} />}
      {page === "tags" && <TagsPage admin={admin} />}
      {page === "canned" && <CannedPage admin={admin} />}
      {page === "resources" && <ResourcesPage api={api} />}
      {page === "categories" && <ListsPage key="categories" outreach={outreach} list="space-categories" />}
      {page === "audit" && <AuditPage api={api} />}
      {page === "indicators" && <ListsPage key="indicators" outreach={outreach} list="indicators" />}
    </section>
  );
}
