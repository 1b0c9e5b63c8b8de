import { visitorEn } from "../i18n/en";
import { visitorSv, type VisitorCatalog } from "../i18n/sv";
import { makeI18n, type Lang } from "../shared/i18n";

export const catalogs: Record<Lang, VisitorCatalog> = { sv: visitorSv, en: visitorEn };
export const { Provider: I18nProvider, useI18n } = makeI18n<VisitorCatalog>(visitorSv);
