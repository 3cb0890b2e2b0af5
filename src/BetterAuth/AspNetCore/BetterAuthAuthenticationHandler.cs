using System.Security.Claims;
using System.Text.Encodings.Web;
using BetterAuth.Core;
using BetterAuth.Core.Http;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.ApiKey;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetterAuth.AspNetCore;

/// <summary>Options of the Better Auth authentication scheme. Sessions, cookies and bearer tokens are configured on <see cref="BetterAuthOptions"/>.</summary>
public sealed class BetterAuthAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Authenticates requests to the host's own endpoints with the Better Auth session they carry: the signed session
/// cookie, or <c>Authorization: Bearer &lt;token&gt;</c> when bearer tokens are enabled, or — with the API key plugin —
/// an API key in its header (the key's user, plus <see cref="BetterAuthClaimTypes.ApiKeyId"/> and one
/// <see cref="BetterAuthClaimTypes.ApiKeyPermission"/> claim per permission; each such request counts as a use of the key). The session is read from the
/// database on each request (so a revoked or banned session stops working at once) and nothing is written: no refresh,
/// no cookie. Challenges answer 401 and forbids 403, each with a JSON problem body.
/// </summary>
internal sealed class BetterAuthAuthenticationHandler(
    IOptionsMonitor<BetterAuthAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<BetterAuthAuthenticationOptions>(options, logger, encoder)
{
    /// <summary>Stands for "a host request", so session lookups can use the auth request context outside the API.</summary>
    private static readonly AuthEndpoint HostRequest =
        new("GET", "", _ => throw new InvalidOperationException("Not an auth endpoint."));

    private const string InvalidSession = "The session is invalid, expired or revoked.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var runtime = Context.RequestServices.GetService<AuthRuntime>()
                      ?? throw new InvalidOperationException(
                          "The BetterAuth authentication scheme needs services.AddBetterAuth(...) to be called first.");
        // The auth API resolves its own sessions (with refresh and cookies); a second lookup there would be wasted work.
        if (runtime.BasePath.Length > 0 && Request.Path.StartsWithSegments(runtime.BasePath)) return AuthenticateResult.NoResult();

        var ctx = new AuthContext(Context, runtime, HostRequest);
        // An API key (API key plugin) is the request's credential when it carries one: checked and counted as a use.
        if (runtime.Options.Plugins.OfType<ApiKeyPlugin>().FirstOrDefault() is { } apiKeys)
        {
            var (keySession, key, refusal) = await apiKeys.AuthenticateAsync(ctx);
            if (refusal is not null) return AuthenticateResult.Fail(refusal.Message);
            if (keySession is not null && key is not null)
            {
                var principal = BetterAuthPrincipal.Create(keySession, Scheme.Name);
                BetterAuthPrincipal.AddApiKey((ClaimsIdentity)principal.Identity!, key);
                return Success(keySession, principal);
            }
        }
        if (!CarriesSessionToken(ctx)) return AuthenticateResult.NoResult();
        var session = await SessionManager.PeekAsync(ctx);
        if (session is null) return AuthenticateResult.Fail(InvalidSession);
        return Success(session, BetterAuthPrincipal.Create(session, Scheme.Name));
    }

    private AuthenticateResult Success(SessionWithUser session, ClaimsPrincipal principal)
    {
        Context.Features.Set<IBetterAuthSessionFeature>(new BetterAuthSessionFeature(session));
        var properties = new AuthenticationProperties
        {
            IssuedUtc = DateTime.SpecifyKind(session.Session.CreatedAt, DateTimeKind.Utc),
            ExpiresUtc = DateTime.SpecifyKind(session.Session.ExpiresAt, DateTimeKind.Utc),
        };
        return AuthenticateResult.Success(new AuthenticationTicket(principal, properties, Scheme.Name));
    }

    /// <summary>A request without our cookie or a bearer token is anonymous (no result), not a failed sign-in.</summary>
    private static bool CarriesSessionToken(AuthContext ctx)
    {
        if (ctx.GetCookie(ctx.Auth.Cookies.SessionToken) is not null) return true;
        return ctx.Auth.Options.Session.Bearer.Enabled &&
               ctx.Http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var runtime = Context.RequestServices.GetService<AuthRuntime>();
        if (runtime?.Options.Session.Bearer.Enabled == true && !Response.HasStarted) Response.Headers.WWWAuthenticate = "Bearer";
        await ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            result.Failure?.Message ?? "Sign in to use this resource.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "You are not allowed to use this resource.");
}
