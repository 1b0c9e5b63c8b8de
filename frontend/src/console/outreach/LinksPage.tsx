/** Links to post in a space: create (optionally with a message template), copy, QR code for print, retire; opens and chats. */

import { useEffect, useRef, useState } from "preact/hooks";
import { formatDateTime } from "../../shared/i18n";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import { exportUrls, type OutreachApi } from "./api";
import { copyText } from "./clipboard";
import { outreachNote } from "./problem";
import type { Link, Space, Template } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

interface Props {
  outreach: OutreachApi;
  initialSpace: number | null;
}

export function LinksPage({ outreach, initialSpace }: Props) {
  const { t } = useI18n();
  const o = t.outreach;
  const [links, setLinks] = useState<Link[] | null>(null);
  const [spaces, setSpaces] = useState<Space[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [filter, setFilter] = useState(initialSpace ? String(initialSpace) : "");
  const [includeRetired, setIncludeRetired] = useState(false);
  const [fresh, setFresh] = useState<number | null>(null);
  const [printing, setPrinting] = useState<Link | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => void attempt(async () => setLinks(await outreach.links(filter ? Number(filter) : undefined, includeRetired)), setError);
  useEffect(load, [filter, includeRetired]);
  useEffect(
    () =>
      void attempt(async () => {
        const [s, tpl] = await Promise.all([outreach.spaces(), outreach.templates()]);
        setSpaces(s);
        setTemplates(tpl);
      }, setError),
    [],
  );
  const replace = (link: Link) => setLinks((list) => (list ?? []).map((x) => (x.id === link.id ? link : x)));

  if (printing) return <PrintSheet link={printing} onBack={() => setPrinting(null)} />;
  return (
    <div class="admin-page">
      <h3>{o.pages.links}</h3>
      <p class="hint">{o.linksHint}</p>
      <NewLinkForm
        outreach={outreach}
        spaces={spaces}
        templates={templates}
        initialSpace={initialSpace}
        onCreated={(link) => {
          setFresh(link.id);
          setLinks((list) => [link, ...(list ?? []).filter((x) => x.id !== link.id)]);
        }}
      />
      <div class="toolbar">
        <label class="inline" for="link-filter-space">
          {o.space}
        </label>
        <select id="link-filter-space" data-testid="link-filter-space" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
          <option value="">{o.allSpaces}</option>
          {spaces.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" data-testid="link-show-retired" checked={includeRetired} onChange={(e) => setIncludeRetired(e.currentTarget.checked)} />
          {o.showRetiredLinks}
        </label>
        <button type="button" class="small" data-testid="link-refresh" onClick={load}>
          {t.refresh}
        </button>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      {links === null && !error && <p role="status">{t.loading}</p>}
      {links?.length === 0 && <p class="hint">{o.noLinks}</p>}
      <ul class="plain-list link-list">
        {links?.map((link) => (
          <LinkRow key={link.id} outreach={outreach} link={link} fresh={link.id === fresh} onChanged={replace} onPrint={() => setPrinting(link)} />
        ))}
      </ul>
    </div>
  );
}

function NewLinkForm(props: { outreach: OutreachApi; spaces: Space[]; templates: Template[]; initialSpace: number | null; onCreated: (l: Link) => void }) {
  const { outreach, spaces, templates, onCreated } = props;
  const { t } = useI18n();
  const o = t.outreach;
  const [spaceId, setSpaceId] = useState(props.initialSpace ? String(props.initialSpace) : "");
  const [templateId, setTemplateId] = useState("");
  const [label, setLabel] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const chosen = spaceId || String(spaces[0]?.id ?? "");
  const submit = async (e: Event) => {
    e.preventDefault();
    setCreated(null);
    const body = {
      space_id: Number(chosen),
      ...(templateId ? { template_id: Number(templateId) } : {}),
      ...(label.trim() ? { label: label.trim() } : {}),
    };
    const ok = await attempt(async () => {
      const link = await outreach.createLink(body);
      setCreated(link.label);
      onCreated(link);
    }, setError);
    if (ok) setLabel("");
  };
  return (
    <form class="admin-form outreach-form" data-testid="link-form" onSubmit={(e) => void submit(e)}>
      <h4>{o.newLink}</h4>
      {spaces.length === 0 && <p class="hint">{o.needSpace}</p>}
      <div class="form-grid">
        <label for="link-space">{o.space}</label>
        <select id="link-space" data-testid="link-space" required value={chosen} onChange={(e) => setSpaceId(e.currentTarget.value)}>
          {spaces.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label for="link-template">{o.template}</label>
        <select id="link-template" data-testid="link-template" value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)}>
          <option value="">{o.noTemplate}</option>
          {templates.map((tpl) => (
            <option key={tpl.id} value={tpl.id}>
              {tpl.name} ({tpl.language})
            </option>
          ))}
        </select>
        <label for="link-label">{o.linkLabel}</label>
        <div>
          <input id="link-label" data-testid="link-label" maxLength={128} aria-describedby="link-label-hint" value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
          <p class="hint" id="link-label-hint">
            {o.linkLabelHint}
          </p>
        </div>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      <button type="submit" class="primary" data-testid="link-create" disabled={!chosen}>
        {o.createLink}
      </button>
      {created && (
        <p class="ok" role="status" data-testid="link-created">
          {o.linkCreated(created)}
        </p>
      )}
    </form>
  );
}

function LinkRow({ outreach, link, fresh, onChanged, onPrint }: { outreach: OutreachApi; link: Link; fresh: boolean; onChanged: (l: Link) => void; onPrint: () => void }) {
  const { t, lang } = useI18n();
  const o = t.outreach;
  const [showQr, setShowQr] = useState(fresh);
  const [confirm, setConfirm] = useState(false);
  const [copied, setCopied] = useState<"url" | "text" | "failed" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const copy = async (what: "url" | "text") => {
    const ok = await copyText(what === "url" ? link.url : (link.text ?? ""), what === "url" ? urlRef.current : textRef.current);
    setCopied(ok ? what : "failed");
  };
  const retire = () => void attempt(async () => onChanged(await outreach.retireLink(link.id)), setError);
  const id = `link-${link.id}`;
  return (
    <li
      class={`link-row${link.active ? "" : " inactive"}${fresh ? " fresh" : ""}`}
      data-testid="link-row"
      data-link-id={link.id}
      data-code={link.code}
      data-active={String(link.active)}
      aria-labelledby={`${id}-label`}
    >
      <div class="link-main">
        <div class="link-head">
          <strong id={`${id}-label`}>{link.label}</strong>
          <span class="hint">{link.space_name}</span>
          {!link.active && <span class="pill pill-off">{o.retiredOn(link.retired_at ? formatDateTime(link.retired_at, lang) : "")}</span>}
        </div>
        <div class="inline-form">
          <label for={`${id}-url`} class="visually-hidden">
            {o.linkUrl}
          </label>
          <input id={`${id}-url`} ref={urlRef} class="link-url" data-testid="link-url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="small" data-testid="link-copy" onClick={() => void copy("url")}>
            {o.copyLink}
          </button>
        </div>
        {link.text && (
          <div class="link-text">
            <label for={`${id}-text`}>{o.messageText}</label>
            <textarea id={`${id}-text`} ref={textRef} data-testid="link-text" readOnly rows={3} value={link.text} />
            <button type="button" class="small" data-testid="link-copy-text" onClick={() => void copy("text")}>
              {o.copyText}
            </button>
          </div>
        )}
        <p class="copy-status" role="status" data-testid="link-copied" data-state={copied ?? ""}>
          {copied === "url" ? o.copiedLink : copied === "text" ? o.copiedText : copied === "failed" ? o.copyFailed : ""}
        </p>
        <dl class="figures">
          <div>
            <dt>{o.opens}</dt>
            <dd data-testid="link-opens">{link.opens}</dd>
          </div>
          <div>
            <dt>{o.conversations}</dt>
            <dd data-testid="link-conversations">{link.conversations}</dd>
          </div>
          <div>
            <dt>{o.created}</dt>
            <dd>{link.created_at.slice(0, 10)}</dd>
          </div>
        </dl>
        <div class="row-actions">
          <button type="button" class="small" data-testid="link-qr-toggle" aria-expanded={showQr} aria-controls={`${id}-qr`} onClick={() => setShowQr(!showQr)}>
            {showQr ? o.hideQr : o.showQr}
          </button>
          <button type="button" class="small" data-testid="link-print" onClick={onPrint}>
            {o.printView}
          </button>
          {link.active && !confirm && (
            <button type="button" class="small danger" data-testid="link-retire" onClick={() => setConfirm(true)}>
              {o.retireLink}
            </button>
          )}
          {link.active && confirm && (
            <span class="confirm">
              {o.retireLinkQuestion}{" "}
              <button type="button" class="small danger-fill" data-testid="link-retire-confirm" onClick={retire}>
                {o.retireLinkConfirm}
              </button>{" "}
              <button type="button" class="small" onClick={() => setConfirm(false)}>
                {t.cancel}
              </button>
            </span>
          )}
        </div>
        <ErrorNote error={error} {...outreachNote(error, t)} />
      </div>
      {showQr && (
        <div class="link-qr" id={`${id}-qr`}>
          <img data-testid="link-qr" src={exportUrls.qr(link.id)} width={180} height={180} alt={o.qrAlt(link.url)} />
        </div>
      )}
    </li>
  );
}

/** A print-friendly page for one link: the QR code large, the address and the message (controls not printed). */
function PrintSheet({ link, onBack }: { link: Link; onBack: () => void }) {
  const { t } = useI18n();
  const o = t.outreach;
  return (
    <div class="print-sheet" data-testid="print-sheet">
      <div class="row-actions no-print">
        <button type="button" data-testid="print-back" onClick={onBack}>
          ← {o.backToLinks}
        </button>
        <button type="button" class="primary" data-testid="print-now" onClick={() => window.print()}>
          {o.print}
        </button>
      </div>
      <h3>{o.printHeading}</h3>
      <img class="print-qr" data-testid="print-qr" src={exportUrls.qr(link.id)} width={320} height={320} alt={o.qrAlt(link.url)} />
      <p class="print-url">{link.url}</p>
      {link.text && <p class="print-text">{link.text}</p>}
      <p class="hint no-print">{o.printHint(link.label, link.space_name ?? "")}</p>
    </div>
  );
}
