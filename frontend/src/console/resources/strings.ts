/** Console strings for the resource directory and cards (sv, en). */

import type { Lang } from "../../shared/i18n";

const sv = {
  open: "Skicka en resurs",
  dialogTitle: "Skicka en resurs som kort",
  search: "Sök i resurslistan",
  none: "Inga resurser matchar.",
  send: "Skicka",
  sent: (name: string) => `${name} skickades som kort.`,
  close: "Stäng",
  page: "Resurser",
  hint: "Tjänster som kuratorerna kan skicka till besökaren som kort. En resurs tas aldrig bort, den inaktiveras, så att statistiken över hänvisningar finns kvar.",
  fields: {
    name: "Namn",
    offer: "Vad de erbjuder",
    phone: "Telefon",
    url: "Webbadress (https://)",
    hours: "Öppettider",
    region: "Område",
    ages: "Åldrar",
    languages: "Språk",
    active: "Aktiv",
  },
  add: "Lägg till resurs",
  save: "Spara",
  saved: "Sparat.",
  edit: (name: string) => `Redigera ${name}`,
  retire: "Inaktivera",
  restore: "Aktivera",
  inactive: "inaktiv",
};
export type ResourceStrings = typeof sv;
const en: ResourceStrings = {
  open: "Send a resource",
  dialogTitle: "Send a resource as a card",
  search: "Search the resources",
  none: "No resources match.",
  send: "Send",
  sent: (name: string) => `${name} was sent as a card.`,
  close: "Close",
  page: "Resources",
  hint: "Services counselors can send the visitor as a card. A resource is never deleted, only made inactive, so the referral statistics stay.",
  fields: {
    name: "Name",
    offer: "What they offer",
    phone: "Phone",
    url: "Web address (https://)",
    hours: "Opening hours",
    region: "Region",
    ages: "Ages",
    languages: "Languages",
    active: "Active",
  },
  add: "Add resource",
  save: "Save",
  saved: "Saved.",
  edit: (name: string) => `Edit ${name}`,
  retire: "Make inactive",
  restore: "Make active",
  inactive: "inactive",
};
export const resourceStrings: Record<Lang, ResourceStrings> = { sv, en };
