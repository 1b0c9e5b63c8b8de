/** Staff accounts: list, create, edit role/alias/display name/capacity, disable or enable, new password. */

import { useEffect, useState } from "preact/hooks";
import type { Role } from "../../shared/protocol";
import type { AdminApi } from "../api";
import { useI18n } from "../i18n";
import { ROLES, type AdminUser, type Counselor } from "../types";
import { attempt, adminNote } from "../errors";
import { ErrorNote } from "../../shared/ErrorNote";

export function UsersPage({ admin, me }: { admin: AdminApi; me: Counselor }) {
  const { t } = useI18n();
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const load = () => void attempt(async () => setUsers(await admin.users()), setLoadError);
  useEffect(load, []);
  const replace = (u: AdminUser) => setUsers((list) => (list ?? []).map((x) => (x.id === u.id ? u : x)));

  return (
    <div class="admin-page">
      <h3>{t.admin.pages.users}</h3>
      <ErrorNote error={loadError} {...adminNote(t)} />
      {users === null && !loadError && <p role="status">{t.loading}</p>}
      {users && (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{t.admin.username}</th>
              <th scope="col">{t.admin.displayName}</th>
              <th scope="col">{t.admin.alias}</th>
              <th scope="col">{t.admin.role}</th>
              <th scope="col">{t.admin.capacity}</th>
              <th scope="col">{t.admin.status}</th>
              <th scope="col">{t.admin.actions}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow key={u.id} admin={admin} user={u} self={u.id === me.id} onSaved={replace} />
            ))}
          </tbody>
        </table>
      )}
      <NewUserForm admin={admin} onCreated={(u) => setUsers((list) => [...(list ?? []), u])} />
    </div>
  );
}

type Mode = "view" | "edit" | "password";

function UserRow({ admin, user, self, onSaved }: { admin: AdminApi; user: AdminUser; self: boolean; onSaved: (u: AdminUser) => void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>("view");
  const [role, setRole] = useState<Role>(user.role);
  const [alias, setAlias] = useState(user.alias);
  const [name, setName] = useState(user.display_name);
  const [capacity, setCapacity] = useState(String(user.capacity));
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const save = async (body: Parameters<AdminApi["changeUser"]>[1], message: string) => {
    setDone(null);
    await attempt(async () => {
      onSaved(await admin.changeUser(user.id, body));
      setMode("view");
      setPassword("");
      setDone(message);
    }, setError);
  };
  const edit = () => {
    setRole(user.role);
    setAlias(user.alias);
    setName(user.display_name);
    setCapacity(String(user.capacity));
    setError(null);
    setMode("edit");
  };
  const fid = (f: string) => `user-${user.id}-${f}`;

  return (
    <tr data-testid="user-row" data-username={user.username} class={user.is_active ? "" : "inactive"}>
      <th scope="row">{user.username}</th>
      {mode === "edit" ? (
        <>
          <td>
            <label class="visually-hidden" for={fid("name")}>{t.admin.displayName}</label>
            <input id={fid("name")} data-testid="user-display-name" value={name} maxLength={128} onInput={(e) => setName(e.currentTarget.value)} />
          </td>
          <td>
            <label class="visually-hidden" for={fid("alias")}>{t.admin.alias}</label>
            <input id={fid("alias")} data-testid="user-alias" value={alias} maxLength={64} onInput={(e) => setAlias(e.currentTarget.value)} />
          </td>
          <td>
            <label class="visually-hidden" for={fid("role")}>{t.admin.role}</label>
            <select id={fid("role")} data-testid="user-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t.roles[r]}
                </option>
              ))}
            </select>
          </td>
          <td>
            <label class="visually-hidden" for={fid("cap")}>{t.admin.capacity}</label>
            <input id={fid("cap")} data-testid="user-capacity" type="number" min={1} max={20} class="narrow" value={capacity} onInput={(e) => setCapacity(e.currentTarget.value)} />
          </td>
        </>
      ) : (
        <>
          <td>{user.display_name}</td>
          <td>{user.alias}</td>
          <td data-testid="user-role-text">{t.roles[user.role]}</td>
          <td>{user.capacity}</td>
        </>
      )}
      <td data-testid="user-status">{user.is_active ? t.admin.active : t.admin.disabled}</td>
      <td class="cell-actions">
        {mode === "view" && (
          <>
            <button type="button" class="small" data-testid="user-edit" onClick={edit}>
              {t.admin.edit}
            </button>
            <button type="button" class="small" data-testid="user-reset-password" onClick={() => setMode("password")}>
              {t.admin.resetPassword}
            </button>
            <button
              type="button"
              class="small danger"
              data-testid="user-toggle-active"
              disabled={self}
              onClick={() => void save({ is_active: !user.is_active }, user.is_active ? t.admin.disabledDone : t.admin.enabledDone)}
            >
              {user.is_active ? t.admin.disable : t.admin.enable}
            </button>
          </>
        )}
        {mode === "edit" && (
          <>
            <button
              type="button"
              class="small primary"
              data-testid="user-save"
              onClick={() =>
                void save(
                  { role, alias: alias.trim(), display_name: name.trim(), capacity: Number(capacity) },
                  t.admin.saved,
                )
              }
            >
              {t.admin.save}
            </button>
            <button type="button" class="small" data-testid="user-cancel" onClick={() => setMode("view")}>
              {t.cancel}
            </button>
          </>
        )}
        {mode === "password" && (
          <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void save({ password }, t.admin.passwordDone))}>
            <label for={fid("pw")}>{t.admin.newPassword}</label>
            <input
              id={fid("pw")}
              data-testid="user-new-password"
              type="password"
              autocomplete="new-password"
              minLength={10}
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <button type="submit" class="small primary" data-testid="user-password-save">
              {t.admin.save}
            </button>
            <button type="button" class="small" onClick={() => setMode("view")}>
              {t.cancel}
            </button>
          </form>
        )}
        <ErrorNote error={error} {...adminNote(t)} />
        {done && !error && (
          <p class="ok" role="status" data-testid="user-done">
            {done}
          </p>
        )}
      </td>
    </tr>
  );
}

function NewUserForm({ admin, onCreated }: { admin: AdminApi; onCreated: (u: AdminUser) => void }) {
  const { t } = useI18n();
  const empty = { username: "", password: "", role: "counselor" as Role, alias: "", display_name: "", capacity: "3" };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const set = (k: keyof typeof empty) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setCreated(null);
    await attempt(async () => {
      const user = await admin.createUser({
        username: form.username.trim(),
        password: form.password,
        role: form.role,
        alias: form.alias.trim(),
        ...(form.display_name.trim() ? { display_name: form.display_name.trim() } : {}),
        capacity: Number(form.capacity),
      });
      onCreated(user);
      setCreated(user.username);
      setForm(empty);
    }, setError);
  };
  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-user-h" data-testid="new-user-form">
      <h4 id="new-user-h">{t.admin.newUser}</h4>
      <div class="form-grid">
        <label for="nu-username">{t.admin.username}</label>
        <input id="nu-username" data-testid="new-user-username" required autocomplete="off" maxLength={64} value={form.username} onInput={set("username")} />
        <label for="nu-password">{t.admin.password}</label>
        <input id="nu-password" data-testid="new-user-password" type="password" autocomplete="new-password" required minLength={10} value={form.password} onInput={set("password")} />
        <label for="nu-role">{t.admin.role}</label>
        <select id="nu-role" data-testid="new-user-role" value={form.role} onChange={set("role")}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t.roles[r]}
            </option>
          ))}
        </select>
        <label for="nu-alias">{t.admin.alias}</label>
        <input id="nu-alias" data-testid="new-user-alias" required maxLength={64} value={form.alias} onInput={set("alias")} aria-describedby="nu-alias-hint" />
        <span id="nu-alias-hint" class="hint span2">{t.admin.aliasHint}</span>
        <label for="nu-name">{t.admin.displayName}</label>
        <input id="nu-name" data-testid="new-user-display-name" maxLength={128} value={form.display_name} onInput={set("display_name")} />
        <label for="nu-cap">{t.admin.capacity}</label>
        <input id="nu-cap" data-testid="new-user-capacity" type="number" min={1} max={20} class="narrow" value={form.capacity} onInput={set("capacity")} />
      </div>
      <ErrorNote error={error} {...adminNote(t)} />
      {created && !error && (
        <p class="ok" role="status" data-testid="new-user-created">
          {t.admin.userCreated(created)}
        </p>
      )}
      <button type="submit" class="primary" data-testid="new-user-submit">
        {t.admin.createUser}
      </button>
    </form>
  );
}
