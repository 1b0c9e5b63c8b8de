/**
 * Swedish (default) strings. The types of these objects are the catalog types: en.ts must
 * provide every key. Words: "sex mot ersättning", never labels for people.
 */

import { mailboxSv } from "./mailbox.sv";

const n = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export const visitorSv = {
  pageTitle: "Lykta",
  leaveQuickly: "Lämna sidan snabbt",
  leaveNote:
    "Knappen stänger chatten och öppnar en annan sida. Den kan inte radera allt som enheten sparar, till exempel webbhistorik från innan du öppnade chatten.",
  leaveEscHint: "Du kan också trycka Esc två gånger.",
  switchLabel: "English",
  switchLang: "en",
  switchAria: "Switch to English",
  loading: "Hämtar …",
  heading: "Prata anonymt med en socialsekreterare",
  intro:
    "Här kan du chatta om sex mot ersättning – till exempel pengar, presenter, droger eller en plats att sova – om någon utnyttjar dig, eller om något annat som känns svårt. Du bestämmer själv vad du vill berätta.",
  statusOpen: "Chatten är öppen nu",
  queueEmpty: "Ingen väntar i kön just nu.",
  queueLength: (count: number) => `${n(count, "person", "personer")} väntar i kön.`,
  estimatedWait: (min: number) => `Ungefärlig väntetid: ${n(min, "minut", "minuter")}.`,
  whoAnswers: "Det är socialsekreterare med tystnadsplikt som svarar.",
  anonymity:
    "Du är anonym. Vi frågar aldrig efter namn, telefonnummer eller adress, och chatten spårar inte var du är.",
  limits:
    "Tystnadsplikten har gränser: om vi blir oroliga för att ett barn under 18 år far illa måste vi göra en orosanmälan till socialtjänsten, och om någon är i akut fara måste vi agera.",
  retention: "Det som skrivs i chatten raderas automatiskt efter en bestämd tid. Tjänsten sparar ingen adress.",
  optionalHeading: "Om du vill berätta (frivilligt)",
  optionalNote: "Det hjälper oss att svara rätt. Du kan hoppa över det.",
  ageLabel: "Ålder",
  topicLabel: "Vad vill du prata om?",
  notSaying: "Vill inte säga",
  ages: { under_15: "Under 15 år", "15_17": "15–17 år", "18_24": "18–24 år", "25_plus": "25 år eller äldre" },
  topics: {
    sex_for_compensation: "Sex mot ersättning",
    exploitation: "Någon utnyttjar eller pressar mig",
    violence: "Våld eller hot",
    relationships: "Relationer",
    health: "Hälsa",
    other: "Något annat",
  },
  startChat: "Starta chatten",
  starting: "Startar …",
  statusClosed: "Chatten är stängd just nu",
  nextOpening: "Vi öppnar igen:",
  nextUnknown: "Vi vet inte just nu när chatten öppnar igen.",
  alternativesHeading: "Om du behöver prata med någon nu",
  emergencyFallback: "Vid akut fara: ring 112.",
  call: (phone: string) => `Ring ${phone}`,
  loadError: "Det gick inte att nå chatten. Kontrollera anslutningen och försök igen.",
  retry: "Försök igen",
  startError: "Det gick inte att starta chatten. Försök igen.",
  rateLimited: "Det har blivit för många försök. Vänta en stund och försök igen.",
  waitingHeading: "Du står i kön",
  serviceClosing: "Chatten stänger nu",
  serviceClosingNote:
    "Chatten stänger enligt öppettiderna. Det är inte säkert att någon hinner svara dig. Du kan vänta kvar en stund eller kontakta någon annan.",
  queuePosition: "Din plats i kön:",
  waitUnknown: "Väntetiden är okänd just nu.",
  waitingWrite:
    "Du kan börja skriva redan nu. Den som tar emot chatten läser det du har skrivit. Du kan lämna när du vill.",
  chattingWith: "Du chattar med",
  counselorFallback: "socialsekreteraren",
  typing: (alias: string) => `${alias} skriver …`,
  connecting: "Ansluter …",
  reconnecting: "Anslutningen bröts. Återansluter …",
  messagesLabel: "Meddelanden",
  newMessages: "Nya meddelanden ↓",
  you: "Du",
  system: "Lykta",
  marks: { sending: "Skickas …", delivered: "Levererat", seen: "Läst" },
  composerLabel: "Ditt meddelande",
  composerHint: "Enter skickar. Shift+Enter ger ny rad.",
  send: "Skicka",
  charsLeft: (count: number) => `${count} tecken kvar`,
  endChat: "Avsluta chatten",
  endConfirmQuestion: "Vill du avsluta chatten? Du kan inte skriva mer i den efteråt.",
  endConfirm: "Ja, avsluta",
  endCancel: "Nej, fortsätt chatta",
  howItWorks: "Så fungerar chatten",
  transcriptHeading: "Det ni skrev",
  copyCode: "Kopiera koden",
  codeCopied: "Koden är kopierad.",
  copyFailed: "Det gick inte att kopiera. Skriv av koden i stället.",
  codeWarning: "Den som har koden kan läsa samtalet. Spara den bara där ingen annan kommer åt den.",
  titleCue: "(1) Lykta",
  endedHeading: "Chatten är avslutad",
  abandoned: "Chatten avslutades innan någon hann svara.",
  expired: "Den här chatten finns inte längre.",
  followUpLabel: "Din uppföljningskod",
  followUpHelp:
    "Vill du fortsätta samtalet? Skriv koden i en ny chatt inom 72 timmar, så kan vi fortsätta där vi slutade.",
  followUpSafety: "Spara koden bara om det känns tryggt.",
  startOver: "Starta en ny chatt",
  followUpEntry: "Har du en kod?",
  followUpCodeLabel: "Kod",
  followUpCodeHint: "Koden du fick när chatten slutade eller när du skrev till oss, till exempel ABCD-EFGH-JKMN.",
  followUpSubmit: "Fortsätt samtalet",
  followUpSending: "Kontrollerar …",
  followUpUnknown:
    "Koden fungerar inte. Den kan vara fel skriven, för gammal eller redan använd. Du kan starta en ny chatt eller skriva till oss i stället.",
  followUpWait: (s: number) => `Det har blivit för många försök. Vänta ${Math.max(1, Math.ceil(s / 60))} min och försök igen.`,
  followUpError: "Det gick inte att kontrollera koden. Försök igen.",
  mailbox: mailboxSv,
};

export type VisitorCatalog = typeof visitorSv;
