/** The resource directory over HTTP: staff search it and send a card, admins manage it. */

import type { ConsoleApi } from "../api";

export interface Resource {
  id: number;
  name: string;
  offer: string;
  phone: string | null;
  url: string | null;
  hours: string;
  region: string;
  ages: string;
  languages: string;
  active: boolean;
}
export type ResourceFields = Omit<Resource, "id">;

export class ResourcesApi {
  constructor(private readonly api: ConsoleApi) {}

  async search(q: string): Promise<Resource[]> {
    const query = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : "";
    return (await this.api.call<{ items: Resource[] }>(`/api/console/resources${query}`)).items;
  }

  send(conversationId: string, resourceId: number, clientId: string): Promise<{ seq: number; created: boolean }> {
    return this.api.call(`/api/console/conversations/${conversationId}/resources/${resourceId}`, {
      method: "POST",
      body: { client_id: clientId },
    });
  }

  async all(): Promise<Resource[]> {
    return (await this.api.call<{ items: Resource[] }>("/api/admin/resources")).items;
  }

  create(body: Partial<ResourceFields>): Promise<Resource> {
    return this.api.call("/api/admin/resources", { method: "POST", body });
  }

  update(id: number, body: Partial<ResourceFields>): Promise<Resource> {
    return this.api.call(`/api/admin/resources/${id}`, { method: "PUT", body });
  }
}
