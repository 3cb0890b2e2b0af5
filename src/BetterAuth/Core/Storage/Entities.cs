namespace BetterAuth.Core.Storage;

/// <summary>
/// A row whose table plugins may extend with columns of their own (user, session). Core properties are typed;
/// plugin columns live in <see cref="Extra"/> and are mapped by EF Core as indexer properties, so they are read
/// and written with the row and never need a second query.
/// </summary>
public abstract class ExtensibleEntity
{
    public Dictionary<string, object?> Extra { get; } = new(StringComparer.Ordinal);

    public object? this[string field]
    {
        get => Extra.TryGetValue(field, out var v) ? v : null;
        set => Extra[field] = value;
    }

    public T? Get<T>(string field) => Extra.TryGetValue(field, out var v) && v is T t ? t : default;
}

public sealed class User : ExtensibleEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public bool EmailVerified { get; set; }
    public string? Image { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class Session : ExtensibleEntity
{
    public string Id { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
    public string Token { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string UserId { get; set; } = "";
}

public sealed class Account
{
    public const string CredentialProvider = "credential";

    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string ProviderId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? AccessToken { get; set; }
    public string? RefreshToken { get; set; }
    public string? IdToken { get; set; }
    public DateTime? AccessTokenExpiresAt { get; set; }
    public DateTime? RefreshTokenExpiresAt { get; set; }
    public string? Scope { get; set; }
    public string? Password { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class Verification
{
    public string Id { get; set; } = "";
    public string Identifier { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}

/// <summary>A session row with its user, as get-session answers it.</summary>
public sealed record SessionWithUser(Session Session, User User);
