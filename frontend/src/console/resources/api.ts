/** The resource directory over HTTP: staff search it and send a card, admins manage it. */

import type { Schema } from "../../shared/api";
import type { ConsoleApi } from "../api";

export type Resource = Schema<"ResourcePublic">;
/** A new resource's fields (a change sends the same, each optional). */
export type ResourceFields = Schema<"ResourceCreate">;

export class ResourcesApi {
  constructor(private readonly api: ConsoleApi) {}

  async search(q: string): Promise<Resource[]> {
    return (await this.api.op("get", "/api/console/resources", { query: { q: q.trim() } })).items;
  }

  send(conversationId: string, resourceId: number, clientId: string): Promise<Schema<"CardSentPublic">> {
    return this.api.op("post", "/api/console/conversations/{conversation_id}/resources/{resource_id}", {
      params: { conversation_id: conversationId, resource_id: resourceId },
      body: { client_id: clientId },
    });
  }

  async all(): Promise<Resource[]> {
    return (await this.api.op("get", "/api/admin/resources")).items;
  }

  create(body: ResourceFields): Promise<Resource> {
    return this.api.op("post", "/api/admin/resources", { body });
  }

  update(id: number, body: Schema<"ResourceUpdate">): Promise<Resource> {
    return this.api.op("put", "/api/admin/resources/{resource_id}", { params: { resource_id: id }, body });
  }
}
