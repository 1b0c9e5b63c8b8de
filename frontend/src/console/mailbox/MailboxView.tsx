/** "Brevlåda": unanswered letters oldest first (claim one), the chosen letter's pane, the supervisors' age
 * profile and the mailbox statistics. Refreshed by the socket's `mailbox` frames. */

import { Fragment } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ErrorNote } from "../../shared/ErrorNote";
import { useI18n } from "../i18n";
import type { ConsoleModel } from "../model";
import { formatAge, MailboxApi, type AgeProfile, type ThreadDetail, type ThreadSummary } from "./api";
import "./mailbox.css";
import { MailboxStatsPanel } from "./MailboxStats";
import { ThreadPane } from "./ThreadPane";
import { useMailboxFrames } from "./useMailbox";

export function MailboxView({ model, supervisor }: { model: ConsoleModel; supervisor: boolean }) {
  const { t } = useI18n();
  const m = t.mailbox;
  const mailbox = useMemo(() => new MailboxApi(model.api), [model]);
  const [items, setItems] = useState<ThreadSummary[] | null>(null);
  const [profile, setProfile] = useState<AgeProfile | null>(null);
  const [open, setOpen] = useState<ThreadDetail | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(Date.now());
  const [loadedAt, setLoadedAt] = useState(Date.now());

  const refresh = async () => {
    try {
      setItems(await mailbox.list());
      setLoadedAt(Date.now());
      if (supervisor) setProfile(await mailbox.profile());
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  useMailboxFrames(model, (frame) => {
    void refresh();
    if (open && frame.thread_id === open.thread.thread_id && frame.change !== "answered")
      void mailbox.thread(open.thread.thread_id).then(setOpen, () => undefined);
  });

  const act = async (id: string, work: () => Promise<ThreadDetail>) => {
    setBusy(id);
    setError(null);
    try {
      setOpen(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
      void refresh();
    }
  };

  const elapsed = (now - loadedAt) / 1000;
  return (
    <main class="console-body mailbox" data-testid="mailbox-view">
      <section class="queue" aria-labelledby="mailbox-heading">
        <h2 id="mailbox-heading">
          {m.listHeading} <span class="count">({items?.filter((i) => i.state === "waiting").length ?? 0})</span>
        </h2>
        <p class="hint">{m.intro}</p>
        {profile && <Profile profile={profile} />}
        <ErrorNote error={error} known={m.errorCodes} fallback={t.requestFailed} testid="mailbox-error" />
        {items === null && <p role="status">{t.loading}</p>}
        {items?.length === 0 && <p class="hint">{m.empty}</p>}
        <ol class="queue-list">
          {(items ?? []).map((item) => (
            <Row
              key={item.thread_id}
              item={item}
              me={model.me.id}
              wait={(item.wait_s ?? 0) + elapsed}
              busy={busy === item.thread_id}
              onClaim={() => void act(item.thread_id, () => mailbox.claim(item.thread_id))}
              onOpen={() => void act(item.thread_id, () => mailbox.thread(item.thread_id))}
            />
          ))}
        </ol>
      </section>
      <section class="conversations" aria-labelledby="letter-heading">
        <h2 id="letter-heading" class="visually-hidden">
          {m.threadHeading}
        </h2>
        {open ? (
          <ThreadPane
            key={open.thread.thread_id}
            model={model}
            mailbox={mailbox}
            detail={open}
            onDetail={setOpen}
            onChanged={() => void refresh()}
          />
        ) : (
          <p class="hint">{m.noThread}</p>
        )}
        <MailboxStatsPanel mailbox={mailbox} />
      </section>
    </main>
  );
}

interface RowProps {
  item: ThreadSummary;
  me: number;
  wait: number;
  busy: boolean;
  onClaim: () => void;
  onOpen: () => void;
}

function Row({ item, me, wait, busy, onClaim, onOpen }: RowProps) {
  const { t } = useI18n();
  const m = t.mailbox;
  const mine = item.counselor_id === me;
  return (
    <li class="queue-item letter-item" data-testid="letter-item" data-thread-id={item.thread_id} data-state={item.state}>
      <div class="queue-top">
        <span class="wait">
          <span class="visually-hidden">{m.waited} </span>
          <time data-testid="letter-wait">{formatAge(wait)}</time>
        </span>
        {item.state === "waiting" && (
          <button type="button" class="primary" data-testid="letter-claim" disabled={busy} onClick={onClaim}>
            {m.claim}
          </button>
        )}
        {mine && (
          <button type="button" data-testid="letter-open" disabled={busy} onClick={onOpen}>
            {m.open}
          </button>
        )}
      </div>
      <dl class="meta">
        <dt>{t.language}</dt>
        <dd>{item.language ? (t.languages[item.language] ?? item.language) : t.unknown}</dd>
        <dt>{t.ageBand}</dt>
        <dd>{item.age_band ? t.ages[item.age_band] : t.unknown}</dd>
        <dt>{t.topic}</dt>
        <dd>{item.topic ? t.topics[item.topic] : t.unknown}</dd>
        <dt>{t.link}</dt>
        <dd>{item.link_label ?? t.unknown}</dd>
      </dl>
      <p class="letter-flags">
        {m.letters(item.letters)}
        {item.answers > 0 && ` · ${item.answered_by_id === me ? m.answeredByYou : m.answeredBefore}`}
        {item.state === "claimed" && item.counselor_alias && ` · ${m.claimedBy(item.counselor_alias)}`}
      </p>
    </li>
  );
}

function Profile({ profile }: { profile: AgeProfile }) {
  const { t } = useI18n();
  const m = t.mailbox;
  return (
    <section class="mailbox-profile" aria-labelledby="profile-heading" data-testid="mailbox-profile">
      <h3 id="profile-heading">{m.profileHeading}</h3>
      <dl class="meta">
        {profile.buckets.map((b) => (
          <Fragment key={b.key}>
            <dt>{m.buckets[b.key] ?? b.key}</dt>
            <dd data-testid={`profile-${b.key}`}>{b.count}</dd>
          </Fragment>
        ))}
      </dl>
      {profile.over_promise > 0 && <p class="letter-late">{m.overPromise(profile.over_promise, profile.answer_weekdays)}</p>}
      {profile.claimed > 0 && <p class="hint">{m.claimedCount(profile.claimed)}</p>}
    </section>
  );
}
