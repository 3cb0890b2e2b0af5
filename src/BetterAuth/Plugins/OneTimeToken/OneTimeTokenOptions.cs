using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.OneTimeToken;

/// <summary>Options of the one-time-token plugin, with Better Auth's defaults (plugins/one-time-token/index.ts at 1.2.12).</summary>
public sealed class OneTimeTokenOptions
{
    /// <summary>Minutes a token stays valid. Default 3.</summary>
    public int ExpiresIn { get; set; } = 3;

    /// <summary>Refuse /one-time-token/generate from clients (400); only the host's in-process calls (<c>BetterAuthApi</c>) may make tokens.</summary>
    public bool DisableClientRequest { get; set; }

    /// <summary>Makes the token for a session instead of 32 random URL-safe characters (Better Auth's generateToken). Make it unguessable.</summary>
    public Func<SessionWithUser, string>? GenerateToken { get; set; }
}
