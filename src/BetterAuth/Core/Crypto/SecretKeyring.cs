namespace BetterAuth.Core.Crypto;

/// <summary>
/// The auth secrets in force, as later Better Auth (1.5+) keeps them in its <c>SecretConfig</c>: with versioned secrets
/// (<see cref="BetterAuthOptions.Secrets"/>, <c>BETTER_AUTH_SECRETS=2:new,1:old</c>) the first entry is the current one;
/// the others and the single <see cref="BetterAuthOptions.Secret"/> (the "legacy" secret, unless it is the public
/// development default) are kept to read what older secrets made. Without versioned secrets there is one secret and
/// no version, exactly as in Better Auth 1.2.12.
/// <para>New signatures and ciphertexts always use <see cref="Current"/>. Signatures are checked against every secret
/// in <see cref="All"/> (Better Auth checks the current one only, so a rotation there signs everyone out; here a cookie
/// or link signed with a listed older secret keeps working until that secret is removed).</para>
/// </summary>
internal sealed class SecretKeyring
{
    private readonly Dictionary<int, string> _versions;

    private SecretKeyring(string current, int? currentVersion, Dictionary<int, string> versions, string? legacy)
    {
        Current = current;
        CurrentVersion = currentVersion;
        _versions = versions;
        Legacy = legacy;
        var all = new List<string> { current };
        foreach (var value in versions.Values) if (!all.Contains(value)) all.Add(value);
        if (legacy is not null && !all.Contains(legacy)) all.Add(legacy);
        All = all;
    }

    /// <summary>The secret that signs and encrypts.</summary>
    public string Current { get; }

    /// <summary>The current secret's version, or null without versioned secrets (ciphertexts are then bare hex, as in 1.2.12).</summary>
    public int? CurrentVersion { get; }

    /// <summary>The single secret kept for values made before versioned secrets (bare-hex ciphertexts), if any.</summary>
    public string? Legacy { get; }

    /// <summary>Every secret, current first, then the older versions in the order listed, then the legacy one.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The secret of a version, or null when that version is not (or no longer) listed.</summary>
    public string? Version(int version) => _versions.GetValueOrDefault(version);

    /// <summary>One secret, no versions: Better Auth 1.2.12's behaviour.</summary>
    public static SecretKeyring Single(string secret) => new(secret, null, new Dictionary<int, string>(), null);

    /// <summary>
    /// The keyring of the options: <see cref="BetterAuthOptions.Secrets"/> when any are listed (then
    /// <see cref="BetterAuthOptions.Secret"/> is the legacy secret), else the single secret or <paramref name="fallback"/>.
    /// </summary>
    public static SecretKeyring From(BetterAuthOptions options, string fallback)
    {
        if (options.Secrets is not { Count: > 0 } listed)
            return Single(options.Secret is { Length: > 0 } single ? single : fallback);
        var versions = new Dictionary<int, string>();
        foreach (var s in listed)
        {
            if (s is null || s.Version < 0 || string.IsNullOrEmpty(s.Value) || !versions.TryAdd(s.Version, s.Value))
                throw new InvalidOperationException(
                    "BetterAuth: BetterAuthOptions.Secrets (BETTER_AUTH_SECRETS) needs non-empty values with distinct, non-negative versions.");
        }
        var legacy = options.Secret is { Length: > 0 } l && l != fallback ? l : null;
        return new SecretKeyring(listed[0].Value, listed[0].Version, versions, legacy);
    }
}
