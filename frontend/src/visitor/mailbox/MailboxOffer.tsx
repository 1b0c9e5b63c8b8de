/** "Write to us": offered beside the alternatives when the chat is closed (or, if an admin chose, the wait is long). */

import { useI18n } from "../i18n";
import type { MailboxOffer } from "./api";

export function MailboxOfferBlock({ offer, onWrite }: { offer: MailboxOffer; onWrite: () => void }) {
  const { t } = useI18n();
  const m = t.mailbox;
  return (
    <section class="mailbox-offer" aria-labelledby="mailbox-offer-heading" data-testid="mailbox-offer">
      <h2 id="mailbox-offer-heading">{m.offerHeading}</h2>
      <p>{offer.reason === "long_wait" ? m.offerLongWait : m.offerClosed}</p>
      <p>{m.promise(offer.answer_weekdays)}</p>
      <button type="button" class="primary" data-testid="write-to-us" onClick={onWrite}>
        {m.writeToUs}
      </button>
    </section>
  );
}
