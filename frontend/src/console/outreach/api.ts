/** The outreach routes (register, links, templates, contacts, statistics) over a signed-in ConsoleApi. */

import type { ConsoleApi } from "../api";
import { type By, type Group, query } from "./dates";
import type {
  Contact,
  Link,
  ListItem,
  Observation,
  ObservationFields,
  Space,
  SpaceFields,
  Stats,
  Template,
  Trend,
} from "./types";

interface Items<T> {
  items: T[];
}

const BASE = "/api/console";

export type AdminList = "space-categories" | "indicators";

export class OutreachApi {
  constructor(private readonly api: ConsoleApi) {}

  private async items<T>(url: string): Promise<T[]> {
    return (await this.api.call<Items<T>>(url)).items;
  }

  categories(): Promise<ListItem[]> {
    return this.items(`${BASE}/space-categories`);
  }

  indicators(): Promise<ListItem[]> {
    return this.items(`${BASE}/indicators`);
  }

  spaces(includeRetired = false, categoryId?: number): Promise<Space[]> {
    return this.items(`${BASE}/spaces${query({ include_retired: includeRetired || undefined, category_id: categoryId })}`);
  }

  space(id: number): Promise<Space> {
    return this.api.call(`${BASE}/spaces/${id}`);
  }

  createSpace(body: SpaceFields): Promise<Space> {
    return this.api.call(`${BASE}/spaces`, { method: "POST", body });
  }

  updateSpace(id: number, body: Partial<SpaceFields> & { active?: boolean }): Promise<Space> {
    return this.api.call(`${BASE}/spaces/${id}`, { method: "PUT", body });
  }

  async notObserved(days: number): Promise<Space[]> {
    return (await this.api.call<Items<Space>>(`${BASE}/spaces/not-observed${query({ days })}`)).items;
  }

  observations(spaceId: number): Promise<Observation[]> {
    return this.items(`${BASE}/spaces/${spaceId}/observations`);
  }

  addObservation(spaceId: number, body: ObservationFields): Promise<Observation> {
    return this.api.call(`${BASE}/spaces/${spaceId}/observations`, { method: "POST", body });
  }

  updateObservation(id: number, body: Omit<ObservationFields, "day">): Promise<Observation> {
    return this.api.call(`${BASE}/observations/${id}`, { method: "PUT", body });
  }

  trend(spaceId: number, from?: string, to?: string): Promise<Trend> {
    return this.api.call(`${BASE}/spaces/${spaceId}/trend${query({ from, to })}`);
  }

  links(spaceId?: number, includeRetired = false): Promise<Link[]> {
    return this.items(`${BASE}/links${query({ space_id: spaceId, include_retired: includeRetired || undefined })}`);
  }

  createLink(body: { space_id: number; template_id?: number; label?: string }): Promise<Link> {
    return this.api.call(`${BASE}/links`, { method: "POST", body });
  }

  retireLink(id: number): Promise<Link> {
    return this.api.call(`${BASE}/links/${id}/retire`, { method: "POST" });
  }

  templates(includeRetired = false): Promise<Template[]> {
    return this.items(`${BASE}/templates${query({ include_retired: includeRetired || undefined })}`);
  }

  createTemplate(body: { name: string; language: string; body: string }): Promise<Template> {
    return this.api.call(`${BASE}/templates`, { method: "POST", body });
  }

  updateTemplate(id: number, body: { name?: string; language?: string; body?: string; active?: boolean }): Promise<Template> {
    return this.api.call(`${BASE}/templates/${id}`, { method: "PUT", body });
  }

  contacts(spaceId?: number): Promise<Contact[]> {
    return this.items(`${BASE}/contacts${query({ space_id: spaceId })}`);
  }

  createContact(body: { space_id: number; day: string; channel: string; template_id?: number; answered: boolean }): Promise<Contact> {
    return this.api.call(`${BASE}/contacts`, { method: "POST", body });
  }

  setAnswered(id: number, answered: boolean): Promise<Contact> {
    return this.api.call(`${BASE}/contacts/${id}`, { method: "PUT", body: { answered } });
  }

  stats(from: string, to: string, group: Group, by: By): Promise<Stats> {
    return this.api.op("get", "/api/console/stats", { query: { from, to, group, by } });
  }

  // Admin lists (role admin; others get 403).

  adminList(list: AdminList): Promise<ListItem[]> {
    return this.items(`/api/admin/${list}`);
  }

  adminCreate(list: AdminList, name: string): Promise<ListItem> {
    return this.api.call(`/api/admin/${list}`, { method: "POST", body: { name } });
  }

  adminUpdate(list: AdminList, id: number, body: { name?: string; active?: boolean }): Promise<ListItem> {
    return this.api.call(`/api/admin/${list}/${id}`, { method: "PUT", body });
  }
}

/** Plain links for the CSV exports (the browser downloads them with the session cookie). */
export const exportUrls = {
  spaces: (): string => `${BASE}/export/spaces.csv`,
  observations: (from?: string, to?: string): string => `${BASE}/export/observations.csv${query({ from, to })}`,
  stats: (from: string, to: string, group: Group, by: By): string => `${BASE}/export/stats.csv${query({ from, to, group, by })}`,
  qr: (linkId: number): string => `${BASE}/links/${linkId}/qr.svg`,
};
