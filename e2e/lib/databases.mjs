// The databases a suite can run our server on: SQLite always, PostgreSQL when the environment provides a server
// (scripts/test.sh exports BETTER_AUTH_TEST_POSTGRES_URL; locally `eval "$(bash scripts/services.sh start DIR)"`).
// Each database is a fresh one, with the env that points startOurs at it and a query function for assertions that
// read the tables directly (sqlite3 CLI / psql, both in their unaligned "a|b" row format, so one SQL serves both).
import { execFileSync } from "node:child_process";
import path from "node:path";

const postgresUrl = () => process.env.BETTER_AUTH_TEST_POSTGRES_URL;

/** The kinds available here: ["sqlite"] or ["sqlite", "postgres"]. */
export function availableDatabases() {
  return postgresUrl() ? ["sqlite", "postgres"] : ["sqlite"];
}

/** Why PostgreSQL runs are skipped here (for test output), or undefined when they run. */
export function postgresSkipReason() {
  return postgresUrl() ? undefined : "BETTER_AUTH_TEST_POSTGRES_URL is not set (scripts/test.sh or scripts/services.sh start sets it)";
}

/**
 * A new, empty database of `kind`: `{ kind, env, query(sql) → rows, scalar(sql) → first value, drop() }`.
 * For SQLite, `dir` holds the file (the server's own temp dir is a good place).
 */
export function createDatabase(kind, dir) {
  if (kind === "sqlite") return sqliteDatabase(path.join(dir, "db.sqlite"));
  if (kind === "postgres") return postgresDatabase();
  throw new Error(`unknown database kind ${kind}`);
}

function sqliteDatabase(file) {
  // The busy timeout lets a read wait out the server's write lock instead of failing with SQLITE_BUSY.
  const run = (sql) => execFileSync("sqlite3", ["-cmd", ".timeout 10000", file, sql], { encoding: "utf8" });
  return withRows({ kind: "sqlite", file, env: { DATABASE_URL: file }, run, drop() {} });
}

let postgresCounter = 0;

function postgresDatabase() {
  const admin = postgresUrl();
  if (!admin) throw new Error(postgresSkipReason());
  postgresCounter += 1;
  const name = `ba_e2e_${process.pid}_${Date.now()}_${postgresCounter}`;
  psql(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return withRows({
    kind: "postgres",
    url: databaseUrl,
    env: { DATABASE_URL: databaseUrl },
    run: (sql) => psql(databaseUrl, sql),
    drop: () => psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  });
}

function psql(url, sql) {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-tAc", sql], { encoding: "utf8" });
}

function withRows(db) {
  /** Rows as arrays of strings (columns split on "|"). */
  db.query = (sql) => db.run(sql).split("\n").filter((line) => line !== "").map((line) => line.split("|"));
  /** The first column of the first row, or undefined. */
  db.scalar = (sql) => db.query(sql)[0]?.[0];
  /** The first column of every row. */
  db.column = (sql) => db.query(sql).map((row) => row[0]);
  return db;
}
