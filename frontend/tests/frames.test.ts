/** The pages' frame types are current: src/api/frames.ts is what json-schema-to-typescript makes of the schema the
 * server exports (src/api/frames.schema.json, checked against the code by tests/test_frame_catalogue.py).
 * When this fails, run `make frames` and commit both files. */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compile } from "json-schema-to-typescript";
import { expect, test } from "vitest";

const api = resolve(import.meta.dirname, "../src/api");

test("frames.ts is generated from frames.schema.json", async () => {
  const schema = JSON.parse(readFileSync(resolve(api, "frames.schema.json"), "utf8"));
  const made = await compile(schema, "Frames", { cwd: api });
  expect(readFileSync(resolve(api, "frames.ts"), "utf8"), "src/api/frames.ts is not current: run `make frames`").toBe(made);
}, 30_000);
