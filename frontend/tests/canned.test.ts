import { describe, expect, it } from "vitest";
import { expandCanned, matchCanned, slashToken } from "../src/console/canned";
import type { CannedReply } from "../src/console/types";
import { formatWait, secondsSince, secondsUntil } from "../src/console/time";

const reply = (id: number, keyword: string, body = `body of ${keyword}`): CannedReply => ({
  id,
  keyword,
  language: "sv",
  body,
  shared: true,
});
const ITEMS = [reply(1, "hej"), reply(2, "hejsan"), reply(3, "hjalp"), reply(4, "he"), reply(5, "oro")];

describe("slashToken", () => {
  it("finds a slash word at the start or after white space, up to the caret", () => {
    expect(slashToken("/he", 3)).toEqual({ start: 0, end: 3, query: "he" });
    expect(slashToken("Hej /HE", 7)).toEqual({ start: 4, end: 7, query: "he" });
    expect(slashToken("rad\n/o", 6)).toEqual({ start: 4, end: 6, query: "o" });
    expect(slashToken("/", 1)).toEqual({ start: 0, end: 1, query: "" });
  });

  it("ignores slashes inside words, URLs and finished words", () => {
    expect(slashToken("och/eller", 9)).toBeNull();
    expect(slashToken("https://x.se/a", 14)).toBeNull();
    expect(slashToken("/hej ", 5)).toBeNull();
    expect(slashToken("hej", 3)).toBeNull();
    expect(slashToken("/hej!", 5)).toBeNull();
  });

  it("takes the whole word when the caret is inside it", () => {
    expect(slashToken("/hello där", 3)).toEqual({ start: 0, end: 6, query: "he" });
  });

  it("clamps the caret and refuses words longer than a keyword", () => {
    expect(slashToken("/he", 99)).toEqual({ start: 0, end: 3, query: "he" });
    expect(slashToken(`/${"a".repeat(33)}`, 34)).toBeNull();
  });
});

describe("matchCanned", () => {
  it("lists keywords starting with the query, an exact match first", () => {
    expect(matchCanned(ITEMS, "he").map((r) => r.keyword)).toEqual(["he", "hej", "hejsan"]);
    expect(matchCanned(ITEMS, "hej").map((r) => r.keyword)).toEqual(["hej", "hejsan"]);
    expect(matchCanned(ITEMS, "HJ").map((r) => r.keyword)).toEqual(["hjalp"]);
    expect(matchCanned(ITEMS, "x")).toEqual([]);
  });

  it("lists everything (up to the limit) for a bare slash", () => {
    expect(matchCanned(ITEMS, "").map((r) => r.id)).toEqual([4, 1, 2, 3, 5]);
    expect(matchCanned(ITEMS, "", 2)).toHaveLength(2);
  });
});

describe("expandCanned", () => {
  it("replaces the slash word with the body and puts the caret after it", () => {
    const text = "Hej! /oro";
    const token = slashToken(text, text.length);
    expect(token).not.toBeNull();
    expect(expandCanned(text, token!, "Du är inte ensam.")).toEqual({
      text: "Hej! Du är inte ensam.",
      caret: 22,
    });
  });

  it("keeps the text after the word and separates it with a space", () => {
    const token = slashToken("/he tack", 3)!;
    expect(expandCanned("/he tack", token, "Hej")).toEqual({ text: "Hej tack", caret: 3 });
    const glued = { start: 0, end: 3, query: "he" };
    expect(expandCanned("/he,tack", glued, "Hej")).toEqual({ text: "Hej ,tack", caret: 4 });
  });
});

describe("time", () => {
  it("formats waits", () => {
    expect(formatWait(0)).toBe("0:00");
    expect(formatWait(75.9)).toBe("1:15");
    expect(formatWait(3725)).toBe("1:02:05");
    expect(formatWait(-3)).toBe("0:00");
  });

  it("counts down to and up from ISO times", () => {
    const now = Date.parse("2026-11-23T15:00:00Z");
    expect(secondsUntil("2026-11-23T15:00:42.100000Z", now)).toBe(43);
    expect(secondsUntil("2026-11-23T14:59:00Z", now)).toBe(0);
    expect(secondsUntil(null, now)).toBeNull();
    expect(secondsUntil("not a time", now)).toBeNull();
    expect(secondsSince("2026-11-23T14:58:30Z", now)).toBe(90);
    expect(secondsSince("2026-11-23T15:01:00Z", now)).toBe(0);
  });
});
