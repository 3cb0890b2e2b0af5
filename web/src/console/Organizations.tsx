// Every organization on the server (the organization plugin's own list shows only the caller's), from the console API.
import { useEffect, useState } from "preact/hooks";
import { consoleGet } from "../api";
import { formatDate } from "./format";
import { linkHandler } from "./router";

export interface OrganizationSummary {
  id: string;
  name: string;
  slug: string;
  logo: string | null;
  createdAt: string;
  members: number;
  pendingInvitations: number;
}

const PAGE = 20;

export function Organizations() {
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [reply, setReply] = useState<{ organizations: OrganizationSummary[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Organizations · Admin console";
  }, []);
  useEffect(() => {
    const timer = setTimeout(async () => {
      const { data, error } = await consoleGet<{ organizations: OrganizationSummary[]; total: number }>("/organizations", { search: search.trim(), limit: PAGE, offset });
      setError(error ? error.message : null);
      if (data) setReply(data);
    }, 200);
    return () => clearTimeout(timer);
  }, [search, offset]);

  const total = reply?.total ?? 0;
  return (
    <section>
      <h1 tabIndex={-1}>Organizations</h1>
      <form class="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label class="inline-field grow">
          <span>Search</span>
          <input type="search" name="search" value={search} placeholder="Name or slug contains…"
            onInput={(e) => { setSearch((e.currentTarget as HTMLInputElement).value); setOffset(0); }} />
        </label>
      </form>
      <div role="alert" class={error ? "alert alert-error" : "alert-empty"}>{error ?? ""}</div>
      <div class="table-wrap">
        <table class="data">
          <thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Members</th><th scope="col">Pending invitations</th><th scope="col">Created</th></tr></thead>
          <tbody>
            {reply?.organizations.map((o) => (
              <tr key={o.id}>
                <td><a href={`/console/organizations/${encodeURIComponent(o.id)}`} onClick={linkHandler}>{o.name}</a></td>
                <td><code>{o.slug}</code></td>
                <td>{o.members}</td>
                <td>{o.pendingInvitations}</td>
                <td>{formatDate(o.createdAt)}</td>
              </tr>
            ))}
            {reply && reply.organizations.length === 0 && <tr><td colSpan={5}>No organizations.</td></tr>}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <p aria-live="polite">{reply ? `Showing ${total === 0 ? 0 : offset + 1}–${Math.min(offset + PAGE, total)} of ${total}` : "Loading…"}</p>
        <button type="button" class="button small secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
        <button type="button" class="button small secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Next</button>
      </div>
    </section>
  );
}
