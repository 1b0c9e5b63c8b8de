/** The console names the staff who answer as the visitors are told (admin setting "staff_title", read from the
 * public visitor status), so a visitor promised "en socialsekreterare" meets what the console calls its staff. */

import type { ConsoleCatalog } from "../i18n/console.sv";
import { getVisitorStatus } from "../shared/api";
import type { Lang } from "../shared/i18n";
import type { StaffTitle } from "../shared/protocol";

interface Forms {
  title: string; // "Socialsekreterare"
  the: string; // "socialsekreteraren"
}

const FORMS: Record<Lang, Record<StaffTitle, Forms>> = {
  sv: {
    socialsekreterare: { title: "Socialsekreterare", the: "socialsekreteraren" },
    kurator: { title: "Kurator", the: "kuratorn" },
    socialarbetare: { title: "Socialarbetare", the: "socialarbetaren" },
  },
  en: {
    socialsekreterare: { title: "Social worker", the: "the social worker" },
    kurator: { title: "Counsellor", the: "the counsellor" },
    socialarbetare: { title: "Social worker", the: "the social worker" },
  },
};

export function withStaffTitle(t: ConsoleCatalog, lang: Lang, title: StaffTitle | null): ConsoleCatalog {
  if (!title) return t;
  const f = FORMS[lang][title];
  const sv = lang === "sv";
  return {
    ...t,
    roles: { ...t.roles, counselor: f.title },
    colCounselor: f.title,
    monitoringNote: sv
      ? `Du läser med. Du kan inte skriva till besökaren, men du kan viska till ${f.the}.`
      : `You are monitoring. You cannot write to the visitor, but you can whisper to ${f.the}.`,
    whisperLabel: sv ? `Viska till ${f.the}` : `Whisper to ${f.the}`,
    whisperHint: sv ? `Bara ${f.the} ser det. Besökaren ser det aldrig.` : `Only ${f.the} sees it. The visitor never does.`,
  };
}

/** The configured title (null until known, or if the status cannot be read: the catalog's words stay). */
export async function fetchStaffTitle(): Promise<StaffTitle | null> {
  try {
    return (await getVisitorStatus("")).staff_title ?? null;
  } catch {
    return null;
  }
}
