/** The visitor page names the staff who answer as the service is set up (admin setting "staff_title"),
 * so that the promise ("en socialsekreterare") matches who answers. */

import type { VisitorCatalog } from "../i18n/sv";
import type { Lang } from "../shared/i18n";
import type { StaffTitle } from "../shared/protocol";

type Words = Pick<VisitorCatalog, "heading" | "whoAnswers" | "counselorFallback">;

const WORDS: Record<Lang, Record<StaffTitle, Words>> = {
  sv: {
    socialsekreterare: {
      heading: "Prata anonymt med en socialsekreterare",
      whoAnswers: "Det är socialsekreterare med tystnadsplikt som svarar.",
      counselorFallback: "socialsekreteraren",
    },
    kurator: {
      heading: "Prata anonymt med en kurator",
      whoAnswers: "Det är kuratorer med tystnadsplikt som svarar.",
      counselorFallback: "kuratorn",
    },
    socialarbetare: {
      heading: "Prata anonymt med en socialarbetare",
      whoAnswers: "Det är socialarbetare med tystnadsplikt som svarar.",
      counselorFallback: "socialarbetaren",
    },
  },
  en: {
    socialsekreterare: {
      heading: "Talk anonymously with a social worker",
      whoAnswers: "The people who answer are social workers with a duty of confidentiality.",
      counselorFallback: "the social worker",
    },
    kurator: {
      heading: "Talk anonymously with a counsellor",
      whoAnswers: "The people who answer are counsellors with a duty of confidentiality.",
      counselorFallback: "the counsellor",
    },
    socialarbetare: {
      heading: "Talk anonymously with a social worker",
      whoAnswers: "The people who answer are social workers with a duty of confidentiality.",
      counselorFallback: "the social worker",
    },
  },
};

export function withStaffTitle(t: VisitorCatalog, lang: Lang, title: StaffTitle | undefined): VisitorCatalog {
  const words = title ? WORDS[lang][title] : undefined;
  return words ? { ...t, ...words } : t;
}
