/** The answer of GET /api/console/report (app/stats/period.py): counts under 3 arrive as "<3". */

import type { Schema } from "../../shared/api";

export type Shown = number | string;

export type PeriodReport = Schema<"PeriodReportPublic">;
