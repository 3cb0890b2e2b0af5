namespace BetterAuth.Core.Storage;

/// <summary>
/// A row whose table plugins may extend with columns of their own (user, session). Core properties are typed;
/// plugin columns live in <see cref="Extra"/> and are mapped by EF Core as indexer properties, so they are read
/// and written with the row and never need a second query.
/// </summary>
public abstract class ExtensibleEntity
{
    /// <summary>Plugin columns by name.</summary>
    public Dictionary<string, object?> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>A plugin column's value.</summary>
    public object? this[string field]
    {
        get => Extra.TryGetValue(field, out var v) ? v : null;
        set => Extra[field] = value;
    }

    /// <summary>A plugin column's value as <typeparamref name="T"/>, or default.</summary>
    public T? Get<T>(string field) => Extra.TryGetValue(field, out var v) && v is T t ? t : default;
}

/// <summary>A row of Better Auth's <c>user</c> table; plugin columns are in <see cref="ExtensibleEntity.Extra"/>.</summary>
public sealed class User : ExtensibleEntity
{
    /// <summary>User id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";
    /// <summary>Email address (lower case).</summary>
    public string Email { get; set; } = "";
    /// <summary>Whether the email address is verified.</summary>
    public bool EmailVerified { get; set; }
    /// <summary>Profile picture URL.</summary>
    public string? Image { get; set; }
    /// <summary>When the user was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the user was last updated (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A row of Better Auth's <c>session</c> table.</summary>
public sealed class Session : ExtensibleEntity
{
    /// <summary>Session id.</summary>
    public string Id { get; set; } = "";
    /// <summary>When the session expires (UTC).</summary>
    public DateTime ExpiresAt { get; set; }
    /// <summary>The session token (the cookie's unsigned value).</summary>
    public string Token { get; set; } = "";
    /// <summary>When the session was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the session was last extended (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
    /// <summary>Client IP at sign-in.</summary>
    public string? IpAddress { get; set; }
    /// <summary>User agent at sign-in.</summary>
    public string? UserAgent { get; set; }
    /// <summary>The session's user.</summary>
    public string UserId { get; set; } = "";
}

/// <summary>A row of Better Auth's <c>account</c> table: a credential or a linked social account.</summary>
public sealed class Account
{
    /// <summary>The provider id of email-and-password accounts, <c>credential</c>.</summary>
    public const string CredentialProvider = "credential";

    /// <summary>Account row id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The account's id at the provider (the user id for credentials).</summary>
    public string AccountId { get; set; } = "";
    /// <summary>The provider, e.g. <c>credential</c> or <c>github</c>.</summary>
    public string ProviderId { get; set; } = "";
    /// <summary>The account's user.</summary>
    public string UserId { get; set; } = "";
    /// <summary>The provider's access token.</summary>
    public string? AccessToken { get; set; }
    /// <summary>The provider's refresh token.</summary>
    public string? RefreshToken { get; set; }
    /// <summary>The provider's ID token.</summary>
    public string? IdToken { get; set; }
    /// <summary>When the access token expires (UTC).</summary>
    public DateTime? AccessTokenExpiresAt { get; set; }
    /// <summary>When the refresh token expires (UTC).</summary>
    public DateTime? RefreshTokenExpiresAt { get; set; }
    /// <summary>Granted scopes, comma-separated.</summary>
    public string? Scope { get; set; }
    /// <summary>The password hash, for credential accounts.</summary>
    public string? Password { get; set; }
    /// <summary>When the account was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the account was last updated (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A row of Better Auth's <c>verification</c> table: a pending token or code.</summary>
public sealed class Verification
{
    /// <summary>Row id.</summary>
    public string Id { get; set; } = "";
    /// <summary>What is being verified, e.g. a token or <c>email-otp-…</c>.</summary>
    public string Identifier { get; set; } = "";
    /// <summary>The stored value.</summary>
    public string Value { get; set; } = "";
    /// <summary>When it expires (UTC).</summary>
    public DateTime ExpiresAt { get; set; }
    /// <summary>When it was created (UTC).</summary>
    public DateTime? CreatedAt { get; set; }
    /// <summary>When it was last updated (UTC).</summary>
    public DateTime? UpdatedAt { get; set; }
}

/// <summary>A session row with its user, as get-session answers it.</summary>
public sealed record SessionWithUser(Session Session, User User);
