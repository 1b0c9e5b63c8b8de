/** One short form of a conversation's id wherever staff see it (tabs, queue, supervision, audit log):
 * its first six hex digits, which the full id starts with, so a search for it finds the same chat. */
export const shortId = (id: string): string => id.replace(/-/g, "").slice(0, 6);
