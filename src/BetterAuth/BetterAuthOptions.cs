using BetterAuth.Core.OAuth;
using BetterAuth.Core.Plugins;

namespace BetterAuth;

/// <summary>
/// Everything a host configures. Defaults are Better Auth's (init.ts at 1.2.12) unless a comment says otherwise;
/// <see cref="Core.AuthRuntime"/> resolves them once at start.
/// </summary>
public sealed class BetterAuthOptions
{
    /// <summary>Shown in authenticator apps and mails. Default "Better Auth".</summary>
    public string AppName { get; set; } = "Better Auth";

    /// <summary>The server's public origin, e.g. <c>https://auth.example.com</c>. When unset, each request's own origin is used.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Where the API is mounted. Default <c>/api/auth</c>; <c>MapBetterAuth(path)</c> overrides it.</summary>
    public string BasePath { get; set; } = "/api/auth";

    /// <summary>
    /// Signs cookies and tokens and encrypts stored secrets (<c>BETTER_AUTH_SECRET</c>). Required in production unless
    /// <see cref="Secrets"/> is set; in development Better Auth's public default is used with a warning. With
    /// <see cref="Secrets"/> set, this one only opens values encrypted before versioned secrets (Better Auth's legacy secret).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Versioned secrets for rotation without signing everyone out (later Better Auth's <c>secrets</c>,
    /// <c>BETTER_AUTH_SECRETS=2:new-secret,1:old-secret</c>). The first entry is current: it signs and encrypts
    /// (ciphertexts then carry its version, <c>$ba$2$…</c>). The others only verify and decrypt what they made, until they
    /// are removed; run the server's <c>rotate-secrets</c> command (or <c>ReencryptBetterAuthSecretsAsync</c>) to move
    /// stored secrets to the current one first. Default none.
    /// </summary>
    public List<VersionedSecret> Secrets { get; set; } = new();

    /// <summary>Origins allowed for cookie-carrying POSTs and for callback URLs, besides the base URL's own. Entries may use <c>*</c> globs on the host.</summary>
    public List<string> TrustedOrigins { get; set; } = new();

    /// <summary>Email and password sign-up and sign-in.</summary>
    public EmailAndPasswordOptions EmailAndPassword { get; set; } = new();
    /// <summary>Email verification links.</summary>
    public EmailVerificationOptions EmailVerification { get; set; } = new();
    /// <summary>Changing a user's email and deleting users.</summary>
    public UserOptions User { get; set; } = new();
    /// <summary>Session lifetime, refresh, cookie cache and bearer tokens.</summary>
    public SessionOptions Session { get; set; } = new();
    /// <summary>Rate limits.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();
    /// <summary>Cookies, CSRF check and client IP addresses.</summary>
    public AdvancedOptions Advanced { get; set; } = new();
    /// <summary>Database provider, connection and schema creation.</summary>
    public DatabaseOptions Database { get; set; } = new();
    /// <summary>A store shared by several instances (Redis) for session lookups and rate-limit counters. Default none.</summary>
    public SecondaryStorageOptions SecondaryStorage { get; set; } = new();
    /// <summary>Linked accounts (social sign-in).</summary>
    public AccountOptions Account { get; set; } = new();
    /// <summary>Delivery of mails and texts through remote senders (SMTP, SMS): retries, backoff, dead letters.</summary>
    public MessageDeliveryOptions Messages { get; set; } = new();

    /// <summary>
    /// Social sign-in providers by id (<c>google</c>, <c>github</c>, <c>microsoft</c>, <c>apple</c>, <c>discord</c>,
    /// <c>gitlab</c>, <c>facebook</c>), plus any id of your choice for a generic OpenID Connect provider configured by
    /// its <see cref="SocialProviderOptions.DiscoveryUrl"/>. Empty by default: no social sign-in.
    /// </summary>
    public Dictionary<string, SocialProviderOptions> SocialProviders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest request body accepted, in bytes; larger bodies get 413. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The enabled plugins, in order; the first plugin's rate rule or hook for a path runs first.</summary>
    public List<IBetterAuthPlugin> Plugins { get; } = new();
}

/// <summary>One entry of <see cref="BetterAuthOptions.Secrets"/>: a secret and its version (Better Auth's <c>{ version, value }</c>).</summary>
public sealed class VersionedSecret
{
    /// <summary>A non-negative integer naming the secret; each version appears once. Gaps are allowed.</summary>
    public int Version { get; set; }
    /// <summary>The secret (a long random value, e.g. <c>openssl rand -base64 32</c>).</summary>
    public string Value { get; set; } = "";

    /// <summary>
    /// Reads Better Auth's <c>BETTER_AUTH_SECRETS</c> format, <c>&lt;version&gt;:&lt;secret&gt;</c> entries separated by
    /// commas, current first (<c>2:new-secret,1:old-secret</c>); whitespace around entries and values is ignored.
    /// Throws <see cref="FormatException"/> naming the variable and the bad entry (never the secret).
    /// </summary>
    public static List<VersionedSecret> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var secrets = new List<VersionedSecret>();
        foreach (var raw in value.Split(','))
        {
            var entry = raw.Trim();
            var colon = entry.IndexOf(':');
            if (colon < 0)
                throw new FormatException($"Invalid BETTER_AUTH_SECRETS entry #{secrets.Count + 1}: expected format \"<version>:<secret>\".");
            var versionText = entry[..colon].Trim();
            if (versionText.Length == 0 || !versionText.All(char.IsAsciiDigit) ||
                !int.TryParse(versionText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
                throw new FormatException($"Invalid version in BETTER_AUTH_SECRETS: \"{versionText}\". Version must be a non-negative integer.");
            var secret = entry[(colon + 1)..].Trim();
            if (secret.Length == 0) throw new FormatException($"Empty secret value for version {version} in BETTER_AUTH_SECRETS.");
            if (secrets.Any(s => s.Version == version))
                throw new FormatException($"Duplicate version {version} in BETTER_AUTH_SECRETS. Each version must be unique.");
            secrets.Add(new VersionedSecret { Version = version, Value = secret });
        }
        return secrets;
    }
}

/// <summary>
/// Durable delivery (ours; Better Auth hands each mail to a callback at once). A message for a remote sender (one whose
/// <c>DeliversInBackground</c> is true: SMTP, the SMS webhook) is stored in the <c>authOutbox</c> table with the change
/// that causes it, then sent by a background dispatcher on every instance: each message is claimed by one instance,
/// retried with exponential backoff (<see cref="RetryDelay"/>, doubling up to <see cref="MaxRetryDelay"/>), and after
/// <see cref="MaxAttempts"/> failures kept as a dead letter without its content, with an error logged. Delivery is at
/// least once: a process that dies after a server accepted a message but before recording it sends it again.
/// </summary>
public sealed class MessageDeliveryOptions
{
    /// <summary>Run the dispatcher on this instance. Default true; false for instances that should only queue messages.</summary>
    public bool Dispatch { get; set; } = true;
    /// <summary>Attempts before a message becomes a dead letter. Default 10.</summary>
    public int MaxAttempts { get; set; } = 10;
    /// <summary>Seconds before the first retry; each further retry waits twice as long. Default 10.</summary>
    public int RetryDelay { get; set; } = 10;
    /// <summary>Longest wait between two attempts, in seconds. Default 600.</summary>
    public int MaxRetryDelay { get; set; } = 600;
    /// <summary>
    /// Seconds between two looks at the table for due messages (messages queued by the same instance are sent at once;
    /// those of other instances and retries wait for the next look). Default 5.
    /// </summary>
    public int PollInterval { get; set; } = 5;
    /// <summary>
    /// Seconds a dispatcher holds a message it claimed; if it dies while sending, another instance takes the message once
    /// this passes. Must exceed the slowest send (SMTP steps time out after 15 seconds each). Default 120.
    /// </summary>
    public int ClaimTimeout { get; set; } = 120;
    /// <summary>Messages claimed at once by one dispatcher. Default 20.</summary>
    public int BatchSize { get; set; } = 20;
    /// <summary>Messages one dispatcher sends at the same time. Default 4.</summary>
    public int Concurrency { get; set; } = 4;
    /// <summary>Days a dead letter (kind, recipient, attempts, last error; no content) is kept. Default 30.</summary>
    public int DeadLetterRetentionDays { get; set; } = 30;
}

/// <summary>Email and password sign-up and sign-in (Better Auth's <c>emailAndPassword</c>).</summary>
public sealed class EmailAndPasswordOptions
{
    /// <summary>Serve email and password sign-up and sign-in. Default true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Refuse new sign-ups by email and password. Default false.</summary>
    public bool DisableSignUp { get; set; }
    /// <summary>Shortest password accepted. Default 8.</summary>
    public int MinPasswordLength { get; set; } = 8;
    /// <summary>Longest password accepted. Default 128.</summary>
    public int MaxPasswordLength { get; set; } = 128;
    /// <summary>Sign the user in right after sign-up. Default true.</summary>
    public bool AutoSignIn { get; set; } = true;
    /// <summary>Sign-in of an unverified email is refused (403) and a fresh verification mail sent.</summary>
    public bool RequireEmailVerification { get; set; }
    /// <summary>Lifetime of a password-reset link, in seconds. Default 1 hour.</summary>
    public int ResetPasswordTokenExpiresIn { get; set; } = 60 * 60;
    /// <summary>End every session of the user when their password is reset. Default false (Better Auth's default).</summary>
    public bool RevokeSessionsOnPasswordReset { get; set; }
    /// <summary>
    /// How many password hashes (sign-up, sign-in, password changes) run at once; more wait in a queue. Each needs a
    /// 32 MiB scrypt block while it runs, so this bounds hashing memory: one per core (the default, null) gives the
    /// highest sign-in rate, 1 saves 32 MiB per core and divides the rate under load by the core count
    /// (bench/NOTES.md has the measured curve). Reads are not affected either way.
    /// </summary>
    public int? MaxConcurrentPasswordHashes { get; set; }
}

/// <summary>
/// Email verification links. Mails go through the registered <see cref="Core.Messaging.IAuthMessageSender"/>s; with
/// none registered, the endpoints that need mail answer "isn't enabled", as Better Auth does without a send callback.
/// </summary>
public sealed class EmailVerificationOptions
{
    /// <summary>Mail a verification link on sign-up. Default false.</summary>
    public bool SendOnSignUp { get; set; }
    /// <summary>Sign the user in when they open the link. Default false.</summary>
    public bool AutoSignInAfterVerification { get; set; }
    /// <summary>Lifetime of a verification link, in seconds. Default 1 hour.</summary>
    public int ExpiresIn { get; set; } = 60 * 60;
}

/// <summary>Operations on the user (Better Auth's <c>user</c> option).</summary>
public sealed class UserOptions
{
    /// <summary>Changing the email address.</summary>
    public ChangeEmailOptions ChangeEmail { get; set; } = new();
    /// <summary>Deleting the account.</summary>
    public DeleteUserOptions DeleteUser { get; set; } = new();
}

/// <summary>The <c>/change-email</c> endpoint.</summary>
public sealed class ChangeEmailOptions
{
    /// <summary>Serve /change-email. Default false. A verified user confirms through a link mailed to the current address.</summary>
    public bool Enabled { get; set; }
}

/// <summary>The <c>/delete-user</c> endpoint.</summary>
public sealed class DeleteUserOptions
{
    /// <summary>Serve /delete-user. Default false.</summary>
    public bool Enabled { get; set; }
    /// <summary>Mail a confirmation link instead of deleting at once. Default false.</summary>
    public bool SendDeleteAccountVerification { get; set; }
    /// <summary>Lifetime of the confirmation link, in seconds. Default 1 day.</summary>
    public int DeleteTokenExpiresIn { get; set; } = 60 * 60 * 24;
}

/// <summary>Sessions (Better Auth's <c>session</c> option).</summary>
public sealed class SessionOptions
{
    /// <summary>Session lifetime in seconds. Default 7 days.</summary>
    public int ExpiresIn { get; set; } = 60 * 60 * 24 * 7;
    /// <summary>How old (seconds) a session's last extension must be before a get-session extends it again. Default 1 day.</summary>
    public int UpdateAge { get; set; } = 60 * 60 * 24;
    /// <summary>Sensitive operations need a session younger than this (seconds); 0 disables the check. Default 1 day.</summary>
    public int FreshAge { get; set; } = 60 * 60 * 24;
    /// <summary>Never extend a session's expiry on get-session. Default false.</summary>
    public bool DisableSessionRefresh { get; set; }
    /// <summary>The signed <c>session_data</c> cookie cache.</summary>
    public CookieCacheOptions CookieCache { get; set; } = new();
    /// <summary><c>Authorization: Bearer</c> sessions.</summary>
    public BearerOptions Bearer { get; set; } = new();
}

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> as Better Auth's bearer plugin takes it: the signed token that responses
/// setting the session cookie also carry in a <c>set-auth-token</c> header. On by default.
/// </summary>
public sealed class BearerOptions
{
    /// <summary>Accept bearer tokens. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Accept only signed tokens (the <c>set-auth-token</c> value). Default true, unlike Better Auth's bearer plugin:
    /// a bare session token is what session listings (<c>/admin/list-user-sessions</c>, <c>/list-sessions</c>) and the
    /// database show, so accepting it would let anyone who can read those act as that session's user (an admin as
    /// another admin). Set false for clients that send the <c>token</c> field of a sign-in answer as their bearer token.
    /// </summary>
    public bool RequireSignature { get; set; } = true;
}

/// <summary>A signed cookie caching the session, so get-session can answer without the database.</summary>
public sealed class CookieCacheOptions
{
    /// <summary>Serve get-session from a signed <c>session_data</c> cookie for <see cref="MaxAge"/> seconds. Default off.</summary>
    public bool Enabled { get; set; }
    /// <summary>Lifetime of the cached copy, in seconds. Default 300.</summary>
    public int MaxAge { get; set; } = 300;
}

/// <summary>Rate limits per client IP and path (Better Auth's <c>rateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// Default on. (Better Auth turns it on only in production; an auth server with limits off by accident is worse
    /// than a developer who has to switch them off for a load test.)
    /// </summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Window in seconds. Default 10.</summary>
    public int Window { get; set; } = 10;
    /// <summary>Requests per window and client. Default 100.</summary>
    public int Max { get; set; } = 100;
    /// <summary>Rules by exact path or glob (<c>/sign-in/*</c>) that override the built-in and plugin rules.</summary>
    public Dictionary<string, RateLimitRule?> CustomRules { get; set; } = new();
}

/// <summary>A rate-limit rule: at most <paramref name="Max"/> requests per <paramref name="Window"/> seconds.</summary>
/// <param name="Window">Window length, in seconds.</param>
/// <param name="Max">Requests allowed per window.</param>
public sealed record RateLimitRule(int Window, int Max);

/// <summary>Cookies, CSRF protection and client IP addresses (Better Auth's <c>advanced</c>).</summary>
public sealed class AdvancedOptions
{
    /// <summary>Prefix of every cookie name. Default <c>better-auth</c>.</summary>
    public string CookiePrefix { get; set; } = "better-auth";
    /// <summary>Force Secure cookies with the <c>__Secure-</c> prefix on or off. By default: on when the base URL is https (or, with no base URL, in production).</summary>
    public bool? UseSecureCookies { get; set; }
    /// <summary>Turns off the Origin check of cookie-carrying POSTs. Never do this in production.</summary>
    public bool DisableCsrfCheck { get; set; }
    /// <summary>Share cookies with subdomains.</summary>
    public CrossSubDomainCookieOptions CrossSubDomainCookies { get; set; } = new();
    /// <summary>Where the client IP comes from.</summary>
    public IpAddressOptions IpAddress { get; set; } = new();
}

/// <summary>Cookies shared by a domain's subdomains.</summary>
public sealed class CrossSubDomainCookieOptions
{
    /// <summary>Set the cookies' Domain attribute. Default false.</summary>
    public bool Enabled { get; set; }
    /// <summary>The shared domain; default: the base URL's host.</summary>
    public string? Domain { get; set; }
}

/// <summary>The client IP address, for rate limits and sessions.</summary>
public sealed class IpAddressOptions
{
    /// <summary>
    /// Headers to read the client IP from (e.g. <c>X-Forwarded-For</c>), honoured only for requests whose socket
    /// address is in <see cref="TrustedProxies"/>. Default: none, the socket address is the client.
    /// </summary>
    public List<string> IpAddressHeaders { get; set; } = new();
    /// <summary>Proxy addresses or CIDR ranges (<c>10.0.0.0/8</c>) whose forwarding headers are believed.</summary>
    public List<string> TrustedProxies { get; set; } = new();
    /// <summary>Store no IP address on sessions.</summary>
    public bool DisableIpTracking { get; set; }
}

/// <summary>Linked accounts (Better Auth's <c>account</c> option).</summary>
public sealed class AccountOptions
{
    /// <summary>When a social account is linked to an existing user.</summary>
    public AccountLinkingOptions AccountLinking { get; set; } = new();
    /// <summary>Store the provider's fresh tokens on the account row at every social sign-in. Default true.</summary>
    public bool UpdateAccountOnSignIn { get; set; } = true;
}

/// <summary>Linking social accounts to existing users (Better Auth's <c>account.accountLinking</c>).</summary>
public sealed class AccountLinkingOptions
{
    /// <summary>Link a social account to an existing user with the same email. Default true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>
    /// Providers whose accounts are linked to a same-email user even when the provider does not say the email is
    /// verified. Default none: only provider-verified emails link implicitly.
    /// </summary>
    public List<string> TrustedProviders { get; set; } = new();
    /// <summary>
    /// Let <c>/link-social</c> (with an ID token, or through the provider's redirect) link an account whose email
    /// differs from the user's. Default false.
    /// </summary>
    public bool AllowDifferentEmails { get; set; }
    /// <summary>
    /// Link a social account implicitly (at sign-in, by email) only to a user whose own email is verified. Default true,
    /// as in Better Auth from 1.6.11 (GHSA-g38m-r43w-p2q7): otherwise whoever signs up first with someone's address,
    /// unverified, gets that person's social account linked into their user at its first sign-in. Explicit linking
    /// (<c>/link-social</c>, with a session) is not affected.
    /// </summary>
    public bool RequireLocalEmailVerified { get; set; } = true;
    /// <summary>Let <c>/unlink-account</c> remove a user's last account. Default false.</summary>
    public bool AllowUnlinkingAll { get; set; }
    /// <summary>Copy the provider's name and image onto the user when an ID token links an account. Default false.</summary>
    public bool UpdateUserInfoOnLink { get; set; }
}

/// <summary>The database (set by <c>UseSqlite</c>/<c>UsePostgreSql</c> or bound from <c>BetterAuth:Database</c>).</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c> (also <c>postgresql</c>, <c>npgsql</c>).</summary>
    public string Provider { get; set; } = "sqlite";
    /// <summary>
    /// Default: a SQLite file <c>better-auth.db</c> in the working directory. For PostgreSQL an Npgsql connection
    /// string (<c>Host=…;Port=5432;Database=…;Username=…;Password=…</c>).
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=better-auth.db";

    /// <summary>True when the provider is SQLite.</summary>
    public bool IsSqlite => Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase);
    /// <summary>True when the provider is PostgreSQL.</summary>
    public bool IsPostgres => Provider.ToLowerInvariant() is "postgres" or "postgresql" or "npgsql" or "pg";
    /// <summary>
    /// Create or extend the tables when the application starts. Default false: a library runs no DDL unless asked
    /// (apply <c>MigrateBetterAuthAsync</c>, the server's <c>migrate</c> command, its SQL script, or your own EF Core
    /// migrations). The standalone server turns it on.
    /// </summary>
    public bool MigrateOnStart { get; set; }
}

/// <summary>
/// Better Auth's <c>secondaryStorage</c>, on Redis. With it, sessions are cached in Redis under Better Auth's keys
/// (the database stays the source of truth, as with Better Auth's <c>storeSessionInDatabase</c>) and rate-limit
/// counters are kept there, so every instance behind a load balancer sees the same sessions, revocations and counts.
/// </summary>
public sealed class SecondaryStorageOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration (<c>host:6379,password=…</c>) or a URL (<c>redis://:password@host:6379/0</c>,
    /// <c>rediss://</c> for TLS). A single server or a primary with replicas; not Redis Cluster. Default none.
    /// </summary>
    public string? Redis { get; set; }
    /// <summary>Prepended to every key, to share one Redis database between deployments. Default none (Better Auth's layout).</summary>
    public string KeyPrefix { get; set; } = "";
    /// <summary>
    /// Longest time, in seconds, a session stays cached before it is read from the database again. Default 600.
    /// (Better Auth keeps it for the session's whole life; changes made through this library drop cached copies at
    /// once, so the bound only matters for rows changed directly in the database.)
    /// </summary>
    public int SessionCacheMaxAge { get; set; } = 600;
}
