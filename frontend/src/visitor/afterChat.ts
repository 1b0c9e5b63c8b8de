/** Strings and calls for what comes after the chat (feedback) and for resource cards, in sv and en. */

import { requestApi, requestJson, type Body, type Schema } from "../shared/api";
import type { Lang } from "../shared/i18n";

type FeedbackBody = Body<"/api/visitor/feedback", "post">;
export type Helped = NonNullable<FeedbackBody["helped"]>;
export type Again = NonNullable<FeedbackBody["again"]>;
export type Found = NonNullable<FeedbackBody["found"]>;
/** The answers given so far (each question may be skipped). */
export interface FeedbackAnswers {
  helped?: Helped;
  again?: Again;
  found?: Found;
}

export function feedbackForm(token: string): Promise<Schema<"FeedbackFormPublic">> {
  return requestApi("post", "/api/visitor/feedback/form", { body: { token } });
}

export function sendFeedback(token: string, answers: FeedbackAnswers): Promise<unknown> {
  const body: FeedbackBody = { token, ...answers };
  return requestJson("/api/visitor/feedback", { method: "POST", body });
}

const sv = {
  heading: "Vill du berätta hur det gick?",
  intro: "Tre snabba frågor. Svaren är anonyma och kan inte kopplas till chatten. Du kan hoppa över dem.",
  helped: { q: "Fick du det du behövde?", a: { yes: "Ja", partly: "Delvis", no: "Nej" } },
  again: { q: "Skulle du skriva till oss igen?", a: { yes: "Ja", maybe: "Kanske", no: "Nej" } },
  found: {
    q: "Hur hittade du hit?",
    a: {
      our_link: "Vår länk i en annons eller på en sajt",
      friend: "Någon tipsade mig",
      search: "Jag sökte på nätet",
      professional: "Från skola, vård eller socialtjänst",
      other: "På annat sätt",
    },
  },
  send: "Skicka svaren",
  skip: "Hoppa över",
  thanks: "Tack! Dina svar hjälper oss att bli bättre.",
  failed: "Svaren kunde inte skickas. Du kan hoppa över frågorna.",
  card: { phone: "Ring", web: "Öppna webbsidan", hours: "Öppet", newTab: "(öppnas i en ny flik)", label: "Tips från oss" },
};
type Strings = typeof sv;
const en: Strings = {
  heading: "Would you like to tell us how it went?",
  intro: "Three quick questions. The answers are anonymous and cannot be tied to the chat. You can skip them.",
  helped: { q: "Did you get what you needed?", a: { yes: "Yes", partly: "Partly", no: "No" } },
  again: { q: "Would you write to us again?", a: { yes: "Yes", maybe: "Maybe", no: "No" } },
  found: {
    q: "How did you find us?",
    a: {
      our_link: "Our link in an ad or on a site",
      friend: "Someone told me",
      search: "I searched online",
      professional: "From school, health care or social services",
      other: "Some other way",
    },
  },
  send: "Send the answers",
  skip: "Skip",
  thanks: "Thank you! Your answers help us do better.",
  failed: "The answers could not be sent. You can skip the questions.",
  card: { phone: "Call", web: "Open the website", hours: "Open", newTab: "(opens in a new tab)", label: "A tip from us" },
};
export const afterChatStrings: Record<Lang, Strings> = { sv, en };
