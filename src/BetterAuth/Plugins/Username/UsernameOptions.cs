namespace BetterAuth.Plugins.Username;

/// <summary>Options of the username plugin, with Better Auth's defaults (plugins/username/index.ts at 1.2.12).</summary>
public sealed class UsernameOptions
{
    /// <summary>Better Auth's default shortest username.</summary>
    public const int DefaultMinUsernameLength = 3;
    /// <summary>Better Auth's default longest username.</summary>
    public const int DefaultMaxUsernameLength = 30;

    /// <summary>Shortest accepted username, in UTF-16 units as JavaScript counts. Default 3; 0 means the default, as in Better Auth.</summary>
    public int MinUsernameLength { get; set; } = DefaultMinUsernameLength;

    /// <summary>Longest accepted username. Default 30; 0 means the default.</summary>
    public int MaxUsernameLength { get; set; } = DefaultMaxUsernameLength;

    /// <summary>
    /// Decides whether a username is acceptable (Better Auth's usernameValidator). Null uses the default, which
    /// allows only ASCII letters, digits, underscores and dots.
    /// </summary>
    public Func<string, bool>? UsernameValidator { get; set; }
}
