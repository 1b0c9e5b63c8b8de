import { consoleEn } from "../i18n/console.en";
import { consoleSv, type ConsoleCatalog } from "../i18n/console.sv";
import { makeI18n, type Lang } from "../shared/i18n";

export const catalogs: Record<Lang, ConsoleCatalog> = { sv: consoleSv, en: consoleEn };
export const { Provider: I18nProvider, useI18n } = makeI18n<ConsoleCatalog>(consoleSv);
