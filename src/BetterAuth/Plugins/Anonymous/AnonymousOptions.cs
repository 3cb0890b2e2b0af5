using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Anonymous;

/// <summary>Options of the anonymous plugin, with Better Auth's defaults (plugins/anonymous/index.ts at 1.2.12).</summary>
public sealed class AnonymousOptions
{
    /// <summary>
    /// Domain of the placeholder email <c>temp-&lt;id&gt;@&lt;domain&gt;</c>. Default: the base URL's origin, scheme
    /// included (e.g. <c>http://localhost:3000</c>), exactly as Better Auth 1.2.12 builds it.
    /// </summary>
    public string? EmailDomainName { get; set; }

    /// <summary>
    /// Called when an anonymous user signs in or up for real (Better Auth's onLinkAccount), before the anonymous
    /// user is deleted: the place to move their data to the new user. Throwing an AuthError fails the request.
    /// </summary>
    public Func<AnonymousLink, Task>? OnLinkAccount { get; set; }

    /// <summary>Keep the anonymous user after linking instead of deleting it (with its sessions and accounts). Default false.</summary>
    public bool DisableDeleteAnonymousUser { get; set; }

    /// <summary>Name for new anonymous users (Better Auth's generateName). Null or an empty result gives "Anonymous".</summary>
    public Func<AuthContext, string?>? GenerateName { get; set; }
}

/// <summary>What <see cref="AnonymousOptions.OnLinkAccount"/> receives: the anonymous session being left and the new one.</summary>
public sealed record AnonymousLink(SessionWithUser AnonymousUser, SessionWithUser NewUser, AuthContext Context);
