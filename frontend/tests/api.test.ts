import { describe, expect, it } from "vitest";
import { ApiError, urlOf } from "../src/shared/api";
import { errorText } from "../src/shared/ErrorNote";

describe("urlOf", () => {
  it("fills a schema path's names, encoded", () => {
    expect(urlOf("/api/console/conversations/{conversation_id}/claim", { conversation_id: "a b/c" })).toBe("/api/console/conversations/a%20b%2Fc/claim");
    expect(urlOf("/api/admin/users/{user_id}", { user_id: 7 })).toBe("/api/admin/users/7");
  });

  it("appends the query's values, a list as repeated keys, and leaves empty ones out", () => {
    expect(urlOf("/api/console/report", {}, { from: "2026-11-01", to: "2026-11-30", space: [1, 2] })).toBe("/api/console/report?from=2026-11-01&to=2026-11-30&space=1&space=2");
    expect(urlOf("/api/console/resources", {}, { q: "" })).toBe("/api/console/resources");
    expect(urlOf("/api/console/links", {}, { space_id: undefined, include_retired: true, x: null })).toBe("/api/console/links?include_retired=true");
  });
});

describe("errorText", () => {
  const known = { duplicate_name: "Det finns redan." };
  it("says a known code in the page's words, else the server's detail, else the fallback", () => {
    expect(errorText(new ApiError(409, "duplicate_name", { detail: "name taken", code: "duplicate_name" }), known, "Fel")).toBe("Det finns redan.");
    expect(errorText(new ApiError(404, "not_found", { detail: "no such space", code: "not_found" }), known, "Fel")).toBe("no such space");
    expect(errorText(new ApiError(500, "http_error", {}), known, "Fel")).toBe("Fel");
    expect(errorText(new TypeError("network"), known, "Fel")).toBe("Fel");
  });
});
