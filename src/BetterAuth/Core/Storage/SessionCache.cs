using System.Text;
using System.Text.Json;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;

namespace BetterAuth.Core.Storage;

/// <summary>
/// A cache of session lookups shared by every instance (Better Auth's <c>secondaryStorage</c> for sessions).
/// The database stays the source of truth (Better Auth's <c>storeSessionInDatabase</c>): <see cref="AuthStore"/>
/// fills the cache from it on a miss and drops entries after every change to a session or its user, so a
/// revocation made on one instance is refused by all of them at once. Fills go through a lease, so a reader that
/// read the database before a change cannot put the old row back after the change dropped it.
/// </summary>
internal interface ISessionCache
{
    /// <summary>
    /// The cached JSON for <paramref name="token"/>; on a miss, a lease that lets the caller fill the entry with
    /// what it then reads from the database (null when another reader holds it: that one fills).
    /// </summary>
    Task<SessionCacheLookup> GetAsync(string token);

    /// <summary>
    /// Stores <paramref name="json"/> until <paramref name="expiresAt"/> if <paramref name="lease"/> is still valid, i.e.
    /// nothing invalidated the token or its user since the lease was taken; false when refused.
    /// </summary>
    Task<bool> FillAsync(string token, string lease, string userId, string json, DateTime expiresAt, DateTime now);

    /// <summary>Drops the entries of these tokens (and any lease on them).</summary>
    Task ForgetAsync(IReadOnlyCollection<string> tokens);

    /// <summary>
    /// Drops every entry of a user (their sessions changed, or their row did): those in <paramref name="knownTokens"/>
    /// and those the cache lists for the user; fills whose lease was taken before this call are refused.
    /// </summary>
    Task ForgetUserAsync(string userId, IReadOnlyCollection<string> knownTokens);
}

internal readonly record struct SessionCacheLookup(string? Json, string? Lease);

/// <summary>
/// The cached value, in Better Auth's layout: <c>{"user":{…},"session":{…}}</c> with the rows as its adapter returns
/// them (ISO dates), so a Better Auth server sharing the store reads our entries and we read its entries.
/// </summary>
internal static class SessionCacheJson
{
    public static string Write(AuthRuntime auth, SessionWithUser pair)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsStringEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WritePropertyName("user");
            auth.Rows.WriteUser(w, pair.User, includeHidden: true);
            w.WritePropertyName("session");
            auth.Rows.WriteSession(w, pair.Session, includeHidden: true);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The pair, or null for anything unreadable (then the database answers).</summary>
    public static SessionWithUser? Read(AuthRuntime auth, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("session", out var session) || session.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object)
                return null;
            var pair = new SessionWithUser(RowJsonReader.ReadSession(session, auth.Registry.Schema),
                RowJsonReader.ReadUser(user, auth.Registry.Schema));
            return pair.Session.Token is null || pair.Session.UserId is null || pair.User.Id is null ? null : pair;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
