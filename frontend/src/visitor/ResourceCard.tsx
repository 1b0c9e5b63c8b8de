/** A service a counselor sent: its name, what it offers, a tappable phone number and its web address. */

import type { ResourceCardData } from "../shared/protocol";
import { afterChatStrings } from "./afterChat";
import { useI18n } from "./i18n";

/** Only https addresses become links (the server accepts no others; an old or odd one shows as text). */
const safeUrl = (url: string | null): string | null => (url && /^https:\/\/[^\s<>"']+$/.test(url) ? url : null);
const telOf = (phone: string): string => phone.replace(/[^0-9+]/g, "");

export function ResourceCard({ card }: { card: ResourceCardData }) {
  const { lang } = useI18n();
  const s = afterChatStrings[lang].card;
  const url = safeUrl(card.url);
  return (
    <div class="resource-card" data-testid="resource-card">
      <p class="resource-card-label">{s.label}</p>
      <p class="resource-card-name">{card.name}</p>
      {card.offer && <p class="resource-card-offer">{card.offer}</p>}
      {card.phone && (
        <a class="tel resource-card-tel" href={`tel:${telOf(card.phone)}`} data-testid="resource-card-phone">
          <span>{s.phone}</span>
          <span>{card.phone}</span>
        </a>
      )}
      {url && (
        <a class="resource-card-web" href={url} target="_blank" rel="noopener noreferrer" data-testid="resource-card-web">
          {s.web} <span class="resource-card-host">{new URL(url).host}</span>{" "}
          <span class="visually-hidden">{s.newTab}</span>
        </a>
      )}
      {card.hours && (
        <p class="hint">
          {s.hours}: {card.hours}
        </p>
      )}
    </div>
  );
}
