/** Random ids for `send` frames; pattern [A-Za-z0-9_\-:.]{1,64}. */

const ID_PATTERN = /^[A-Za-z0-9_\-:.]{1,64}$/;

export function newClientId(prefix: string): string {
  const bytes = new Uint8Array(16);
  // getRandomValues works outside secure contexts too, unlike randomUUID.
  globalThis.crypto.getRandomValues(bytes);
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  const id = `${prefix}-${hex}`;
  if (!ID_PATTERN.test(id)) throw new Error("invalid client_id prefix");
  return id;
}

export function isClientId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}
