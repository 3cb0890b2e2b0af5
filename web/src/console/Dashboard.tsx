// The dashboard: totals and sign-ups per day, from the server's console API (SQL over the user and session tables).
import { useEffect, useState } from "preact/hooks";
import { consoleGet } from "../api";
import { BarChart, type DayCount } from "./Chart";

export interface Stats {
  users: number;
  activeSessions: number;
  bannedUsers: number;
  organizations: number | null;
  days: number;
  signUps: DayCount[];
}

export function Dashboard(props: { initial: Stats }) {
  const [stats, setStats] = useState(props.initial);
  const [days, setDays] = useState(props.initial.days);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Dashboard · Admin console";
  }, []);
  useEffect(() => {
    if (days === stats.days) return;
    consoleGet<Stats>("/stats", { days }).then(({ data, error }) => (error ? setError(error.message) : setStats(data)));
  }, [days]);

  const recent = stats.signUps.reduce((sum, d) => sum + d.count, 0);
  return (
    <section>
      <h1 tabIndex={-1}>Dashboard</h1>
      <div role="alert" class={error ? "alert alert-error" : "alert-empty"}>{error ?? ""}</div>
      <ul class="stat-cards">
        <li class="stat"><span class="stat-label">Users</span><span class="stat-value" data-testid="stat-users">{stats.users}</span></li>
        <li class="stat"><span class="stat-label">Active sessions</span><span class="stat-value" data-testid="stat-sessions">{stats.activeSessions}</span></li>
        <li class="stat"><span class="stat-label">Sign-ups, last {stats.days} days</span><span class="stat-value">{recent}</span></li>
        <li class="stat"><span class="stat-label">Banned users</span><span class="stat-value" data-testid="stat-banned">{stats.bannedUsers}</span></li>
        {stats.organizations !== null && <li class="stat"><span class="stat-label">Organizations</span><span class="stat-value">{stats.organizations}</span></li>}
      </ul>
      <div class="panel">
        <div class="panel-head">
          <h2>Sign-ups per day</h2>
          <label class="inline-field">
            <span>Period</span>
            <select value={String(days)} onChange={(e) => setDays(Number((e.currentTarget as HTMLSelectElement).value))}>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
              <option value="90">90 days</option>
            </select>
          </label>
        </div>
        <BarChart title={`Sign-ups per day, last ${stats.days} days`} data={stats.signUps} />
      </div>
    </section>
  );
}
