/** English strings of the visitor's mailbox ("Write to us"). */

import type { MailboxCatalog } from "./mailbox.sv";

const days = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export const mailboxEn: MailboxCatalog = {
  offerHeading: "Write to us",
  offerClosed: "You can write to us now and read the answer later. We never ask for a name, number or e-mail.",
  offerLongWait: "The wait is long right now. You can also write to us and read the answer later.",
  promise: (weekdays: number) => `We answer within ${days(weekdays, "weekday", "weekdays")}.`,
  writeToUs: "Write to us",
  writeHeading: "Write to us",
  writeIntro:
    "Write what you want to tell or ask. A social worker bound by confidentiality reads it and answers. You get a code that you use to read the answer.",
  letterLabel: "Your message",
  letterHint: "You do not need to write your name, phone number or where you live.",
  send: "Send",
  sending: "Sending …",
  back: "Back",
  sendError: "It could not be sent. Your text is still here – try again.",
  mailboxOff: "You cannot write to us right now. Call one of the numbers on this page if you need to talk to someone.",
  sentHeading: "Thank you! We have your message",
  codeLabel: "Your code",
  writeDown:
    "Write the code down or keep it where nobody else sees it. It is the only way to read the answer – we cannot show it again.",
  howToReturn: "Come back to this page and enter the code under “Do you have a code?”.",
  keep: (count: number) =>
    `The message is deleted if nobody has answered within ${days(count, "day", "days")}. An answer is deleted after ${days(count, "day", "days")} if you do not read it.`,
  done: "I have kept the code",
  threadHeading: "Your messages",
  you: "You",
  counselorFallback: "The social worker",
  waitingForAnswer: (weekdays: number) =>
    `We have not answered yet. We answer within ${days(weekdays, "weekday", "weekdays")}. Come back with the same code.`,
  closedThread: "This conversation is closed. You can write a new message, or chat when we are open.",
  writeBackLabel: "Write back",
  writeBackHint: "The answer comes here. Come back with the same code.",
  tooMany: "Please wait for an answer before you write more.",
  chatNowHeading: "The chat is open now",
  chatNowNote: "You can continue as a chat, if possible with the person who answered you.",
  chatNow: "Continue as a chat",
  startingChat: "Starting the chat …",
  chatClosed: "The chat closed a moment ago. You can write back here instead.",
  leaveThread: "Close",
  codeExpired: "The code does not work any more. You are welcome to write a new message.",
};
