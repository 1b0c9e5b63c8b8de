/** The console's HTTP shapes, named for the pages: aliases of the server's models (src/api/schema.ts, generated). */

import type { Schema } from "../shared/api";
import type { Role } from "../shared/protocol";

/** The signed-in staff member (the session's counselor). */
export type Counselor = Schema<"CounselorPublic">;

export type CannedReply = Schema<"CannedReplyPublic">;
export type Tag = Schema<"TagPublic">;
export type Colleague = Schema<"ColleaguePublic">;
/** The wrap-up sent with close. */
export type WrapUp = Schema<"WrapUp">;

export type ActiveChat = Schema<"SupervisedChatPublic">;
export type StaffOnDuty = Schema<"StaffOnDutyPublic">;
export type Supervision = Schema<"SupervisionPublic">;

export type AdminUser = Schema<"AdminUserPublic">;
export type NewUser = Schema<"NewUser">;
export type UserChanges = Schema<"UserChanges">;

export type ServiceSettings = Schema<"ServiceSettingsPublic">;
export type RoutingMode = ServiceSettings["routing_mode"];

/** weekday: 0 = Monday … 6 = Sunday */
export type WeeklyRow = Schema<"WeeklyHoursPublic">;
export type OpeningException = Schema<"OpeningExceptionPublic">;
/** A new exception (note and closed may be left out). */
export type NewException = Schema<"ExceptionIn">;
export type Schedule = Schema<"SchedulePublic">;

export const ROLES: readonly Role[] = ["counselor", "supervisor", "admin"];

export function isSupervisor(role: Role): boolean {
  return role === "supervisor" || role === "admin";
}
