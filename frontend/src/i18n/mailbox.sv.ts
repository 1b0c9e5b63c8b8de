/** Swedish strings of the visitor's mailbox ("Skriv till oss"); mailbox.en.ts must provide every key. */

const days = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export const mailboxSv = {
  offerHeading: "Skriv till oss",
  offerClosed: "Du kan skriva till oss nu och läsa svaret senare. Vi frågar inte efter namn, nummer eller mejl.",
  offerLongWait: "Det är lång väntetid just nu. Du kan också skriva till oss och läsa svaret senare.",
  promise: (weekdays: number) => `Vi svarar inom ${days(weekdays, "vardag", "vardagar")}.`,
  writeToUs: "Skriv till oss",
  writeHeading: "Skriv till oss",
  writeIntro:
    "Skriv det du vill berätta eller fråga. En socialsekreterare med tystnadsplikt läser och svarar. Du får en kod som du använder för att läsa svaret.",
  letterLabel: "Ditt meddelande",
  letterHint: "Du behöver inte skriva ditt namn, telefonnummer eller var du bor.",
  send: "Skicka",
  sending: "Skickar …",
  back: "Tillbaka",
  sendError: "Det gick inte att skicka. Din text finns kvar – försök igen.",
  mailboxOff: "Det går inte att skriva till oss just nu. Ring något av numren på sidan om du behöver prata med någon.",
  sentHeading: "Tack! Vi har fått ditt meddelande",
  codeLabel: "Din kod",
  writeDown:
    "Skriv ner koden eller spara den där ingen annan ser den. Den är det enda sättet att läsa svaret – vi kan inte visa den igen.",
  howToReturn: "Kom tillbaka till den här sidan och skriv koden under ”Har du en kod?”.",
  keep: (count: number) =>
    `Meddelandet raderas om ingen har svarat inom ${days(count, "dag", "dagar")}. Ett svar raderas efter ${days(count, "dag", "dagar")} om du inte läser det.`,
  done: "Jag har sparat koden",
  threadHeading: "Dina meddelanden",
  you: "Du",
  counselorFallback: "Socialsekreteraren",
  waitingForAnswer: (weekdays: number) =>
    `Vi har inte svarat än. Vi svarar inom ${days(weekdays, "vardag", "vardagar")}. Kom tillbaka med samma kod.`,
  closedThread: "Den här konversationen är avslutad. Du kan skriva ett nytt meddelande eller chatta när vi har öppet.",
  writeBackLabel: "Skriv tillbaka",
  writeBackHint: "Svaret kommer hit. Kom tillbaka med samma kod.",
  tooMany: "Vänta på ett svar innan du skriver mer.",
  chatNowHeading: "Chatten är öppen nu",
  chatNowNote: "Du kan fortsätta som en chatt. I första hand med den som svarade dig.",
  chatNow: "Fortsätt som chatt",
  startingChat: "Startar chatten …",
  chatClosed: "Chatten stängde nyss. Du kan skriva tillbaka här i stället.",
  leaveThread: "Stäng",
  codeExpired: "Koden fungerar inte längre. Du är välkommen att skriva ett nytt meddelande.",
};

export type MailboxCatalog = typeof mailboxSv;
