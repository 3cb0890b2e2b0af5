// The users table: search, filter, sort and pages, all done by the server through GET /admin/list-users.
import { useEffect, useState } from "preact/hooks";
import { authGet, type UserSummary } from "../api";
import { formatDate } from "./format";
import { linkHandler } from "./router";

interface ListUsersReply {
  users: UserSummary[];
  total: number;
}

type Filter = "all" | "admins" | "banned" | "active" | "unverified";

/** Each filter is one of list-users' filterField/filterValue/filterOperator triples. */
const FILTERS: Record<Filter, { label: string; query?: { filterField: string; filterValue: string; filterOperator: string } }> = {
  all: { label: "All users" },
  admins: { label: "Admins", query: { filterField: "role", filterValue: "admin", filterOperator: "contains" } },
  banned: { label: "Banned", query: { filterField: "banned", filterValue: "true", filterOperator: "eq" } },
  active: { label: "Not banned", query: { filterField: "banned", filterValue: "true", filterOperator: "ne" } },
  unverified: { label: "Email not verified", query: { filterField: "emailVerified", filterValue: "false", filterOperator: "eq" } },
};

export function Users() {
  const [search, setSearch] = useState("");
  const [searchField, setSearchField] = useState<"email" | "name">("email");
  const [filter, setFilter] = useState<Filter>("all");
  const [sortBy, setSortBy] = useState("createdAt");
  const [sortDirection, setSortDirection] = useState<"asc" | "desc">("desc");
  const [pageSize, setPageSize] = useState(10);
  const [offset, setOffset] = useState(0);
  const [reply, setReply] = useState<ListUsersReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Users · Admin console";
  }, []);

  useEffect(() => {
    // A short pause so typing a search does not send one request per key.
    const timer = setTimeout(async () => {
      const { data, error } = await authGet<ListUsersReply>("/admin/list-users", {
        searchValue: search.trim(),
        searchField,
        searchOperator: "contains",
        sortBy,
        sortDirection,
        limit: pageSize,
        offset,
        ...FILTERS[filter].query,
      });
      setError(error ? error.message : null);
      if (data) setReply(data);
    }, 200);
    return () => clearTimeout(timer);
  }, [search, searchField, filter, sortBy, sortDirection, pageSize, offset]);

  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setOffset(0);
  };

  const sortHeader = (field: string, label: string) => {
    const active = sortBy === field;
    const next = active && sortDirection === "asc" ? "desc" : "asc";
    return (
      <th scope="col" aria-sort={active ? (sortDirection === "asc" ? "ascending" : "descending") : "none"}>
        <button type="button" class="sort" onClick={() => { setSortBy(field); setSortDirection(active ? next : "asc"); setOffset(0); }}>
          {label} <span aria-hidden="true">{active ? (sortDirection === "asc" ? "▲" : "▼") : "↕"}</span>
        </button>
      </th>
    );
  };

  const total = reply?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + pageSize, total);

  return (
    <section>
      <h1 tabIndex={-1}>Users</h1>
      <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label class="inline-field grow">
          <span>Search</span>
          <input type="search" name="search" value={search} placeholder={searchField === "email" ? "Email contains…" : "Name contains…"}
            onInput={(e) => reset(setSearch)((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label class="inline-field">
          <span>In</span>
          <select name="searchField" value={searchField} onChange={(e) => reset(setSearchField)((e.currentTarget as HTMLSelectElement).value as "email" | "name")}>
            <option value="email">Email</option>
            <option value="name">Name</option>
          </select>
        </label>
        <label class="inline-field">
          <span>Show</span>
          <select name="filter" value={filter} onChange={(e) => reset(setFilter)((e.currentTarget as HTMLSelectElement).value as Filter)}>
            {Object.entries(FILTERS).map(([id, f]) => <option key={id} value={id}>{f.label}</option>)}
          </select>
        </label>
        <label class="inline-field">
          <span>Per page</span>
          <select name="pageSize" value={String(pageSize)} onChange={(e) => reset(setPageSize)(Number((e.currentTarget as HTMLSelectElement).value))}>
            {[10, 25, 50, 100].map((n) => <option key={n} value={String(n)}>{n}</option>)}
          </select>
        </label>
      </form>
      <div role="alert" class={error ? "alert alert-error" : "alert-empty"}>{error ?? ""}</div>
      <div class="table-wrap">
        <table class="data" aria-describedby="users-count">
          <thead>
            <tr>
              {sortHeader("name", "Name")}
              {sortHeader("email", "Email")}
              {sortHeader("role", "Role")}
              <th scope="col">Status</th>
              {sortHeader("createdAt", "Created")}
            </tr>
          </thead>
          <tbody>
            {reply?.users.map((u) => (
              <tr key={u.id} data-email={u.email}>
                <td><a href={`/console/users/${encodeURIComponent(u.id)}`} onClick={linkHandler}>{u.name || "(no name)"}</a></td>
                <td>{u.email}</td>
                <td>{u.role ?? "—"}</td>
                <td>
                  {u.banned ? <span class="badge badge-danger">Banned</span> : <span class="badge badge-ok">Active</span>}{" "}
                  {!u.emailVerified && <span class="badge">Unverified</span>}
                </td>
                <td>{formatDate(u.createdAt)}</td>
              </tr>
            ))}
            {reply && reply.users.length === 0 && <tr><td colSpan={5}>No users match.</td></tr>}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <p id="users-count" aria-live="polite">{reply ? `Showing ${first}–${last} of ${total}` : "Loading…"}</p>
        <button type="button" class="button small secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>Previous</button>
        <button type="button" class="button small secondary" disabled={offset + pageSize >= total} onClick={() => setOffset(offset + pageSize)}>Next</button>
      </div>
    </section>
  );
}
