/** The outreach routes (register, links, templates, contacts, statistics) over a signed-in ConsoleApi. */

import type { Body } from "../../shared/api";
import type { ConsoleApi } from "../api";
import { type By, type Group, query } from "./dates";
import type { Contact, Link, ListItem, Observation, ObservationFields, Space, SpaceFields, Stats, Template, Trend } from "./types";

const BASE = "/api/console";

export type AdminList = "space-categories" | "indicators";

export class OutreachApi {
  constructor(private readonly api: ConsoleApi) {}

  async categories(): Promise<ListItem[]> {
    return (await this.api.op("get", "/api/console/space-categories")).items;
  }

  async indicators(): Promise<ListItem[]> {
    return (await this.api.op("get", "/api/console/indicators")).items;
  }

  async spaces(includeRetired = false, categoryId?: number): Promise<Space[]> {
    return (await this.api.op("get", "/api/console/spaces", { query: { include_retired: includeRetired || undefined, category_id: categoryId } })).items;
  }

  space(id: number): Promise<Space> {
    return this.api.op("get", "/api/console/spaces/{space_id}", { params: { space_id: id } });
  }

  createSpace(body: SpaceFields): Promise<Space> {
    return this.api.op("post", "/api/console/spaces", { body });
  }

  updateSpace(id: number, body: Body<"/api/console/spaces/{space_id}", "put">): Promise<Space> {
    return this.api.op("put", "/api/console/spaces/{space_id}", { params: { space_id: id }, body });
  }

  async notObserved(days: number): Promise<Space[]> {
    return (await this.api.op("get", "/api/console/spaces/not-observed", { query: { days } })).items;
  }

  async observations(spaceId: number): Promise<Observation[]> {
    return (await this.api.op("get", "/api/console/spaces/{space_id}/observations", { params: { space_id: spaceId } })).items;
  }

  addObservation(spaceId: number, body: ObservationFields): Promise<Observation> {
    return this.api.op("post", "/api/console/spaces/{space_id}/observations", { params: { space_id: spaceId }, body });
  }

  updateObservation(id: number, body: Body<"/api/console/observations/{observation_id}", "put">): Promise<Observation> {
    return this.api.op("put", "/api/console/observations/{observation_id}", { params: { observation_id: id }, body });
  }

  trend(spaceId: number, from?: string, to?: string): Promise<Trend> {
    return this.api.op("get", "/api/console/spaces/{space_id}/trend", { params: { space_id: spaceId }, query: { from, to } });
  }

  async links(spaceId?: number, includeRetired = false): Promise<Link[]> {
    return (await this.api.op("get", "/api/console/links", { query: { space_id: spaceId, include_retired: includeRetired || undefined } })).items;
  }

  createLink(body: Body<"/api/console/links", "post">): Promise<Link> {
    return this.api.op("post", "/api/console/links", { body });
  }

  retireLink(id: number): Promise<Link> {
    return this.api.op("post", "/api/console/links/{link_id}/retire", { params: { link_id: id } });
  }

  async templates(includeRetired = false): Promise<Template[]> {
    return (await this.api.op("get", "/api/console/templates", { query: { include_retired: includeRetired || undefined } })).items;
  }

  createTemplate(body: Body<"/api/console/templates", "post">): Promise<Template> {
    return this.api.op("post", "/api/console/templates", { body });
  }

  updateTemplate(id: number, body: Body<"/api/console/templates/{template_id}", "put">): Promise<Template> {
    return this.api.op("put", "/api/console/templates/{template_id}", { params: { template_id: id }, body });
  }

  async contacts(spaceId?: number): Promise<Contact[]> {
    return (await this.api.op("get", "/api/console/contacts", { query: { space_id: spaceId } })).items;
  }

  createContact(body: Body<"/api/console/contacts", "post">): Promise<Contact> {
    return this.api.op("post", "/api/console/contacts", { body });
  }

  setAnswered(id: number, answered: boolean): Promise<Contact> {
    return this.api.op("put", "/api/console/contacts/{contact_id}", { params: { contact_id: id }, body: { answered } });
  }

  stats(from: string, to: string, group: Group, by: By): Promise<Stats> {
    return this.api.op("get", "/api/console/stats", { query: { from, to, group, by } });
  }

  // Admin lists (role admin; others get 403).

  async adminList(list: AdminList): Promise<ListItem[]> {
    return (await this.api.op("get", `/api/admin/${list}`)).items;
  }

  adminCreate(list: AdminList, name: string): Promise<ListItem> {
    return this.api.op("post", `/api/admin/${list}`, { body: { name } });
  }

  adminUpdate(list: AdminList, id: number, body: Body<"/api/admin/indicators/{item_id}", "put">): Promise<ListItem> {
    return this.api.op("put", `/api/admin/${list}/{item_id}`, { params: { item_id: id }, body });
  }
}

/** Plain links for the CSV exports (the browser downloads them with the session cookie). */
export const exportUrls = {
  spaces: (): string => `${BASE}/export/spaces.csv`,
  observations: (from?: string, to?: string): string => `${BASE}/export/observations.csv${query({ from, to })}`,
  stats: (from: string, to: string, group: Group, by: By): string => `${BASE}/export/stats.csv${query({ from, to, group, by })}`,
  qr: (linkId: number): string => `${BASE}/links/${linkId}/qr.svg`,
};
