using System.Globalization;
using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Events;
using BetterAuth.Core.Json;
using BetterAuth.Core.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Http;

/// <summary>
/// Runs one request through Better Auth's order: rate limit → body → origin check → plugin before-hooks →
/// session requirement → handler → plugin after-hooks → response. Every failure becomes Better Auth's error
/// answer; nothing a client sends can reach a 500.
/// </summary>
internal sealed class AuthPipeline(AuthRuntime auth, IRateLimitStore rateLimits, RateLimitPolicy rateRules)
{
    public async Task HandleAsync(HttpContext http, AuthEndpoint endpoint)
    {
        var ctx = new AuthContext(http, auth, endpoint);
        using var telemetry = new OperationTelemetry(ctx);
        var serverCall = http.Features.Get<ServerCallFeature>();
        AuthResult result;
        try
        {
            if (serverCall is null && await RateLimitAsync(ctx) is { } limited)
            {
                telemetry.RateLimited();
                await WriteAsync(ctx, limited, cookies: false);
                return;
            }
            await BodyReader.ReadAsync(ctx);
            OriginCheck.Validate(ctx);
            result = await RunAsync(ctx, endpoint);
        }
        catch (AuthError e)
        {
            // A redirect keeps the cookies already set (better-call's redirect carries the context headers); errors drop them.
            telemetry.Complete(e.Status, e.Code);
            await AuthEventDispatch.FlushAsync(ctx, succeeded: false);
            await WriteErrorAsync(ctx, e);
            return;
        }
        catch (OperationCanceledException e) when (http.RequestAborted.IsCancellationRequested)
        {
            telemetry.Complete(499, AuthTelemetry.ErrorTypeOf(e), aborted: true);
            await AuthEventDispatch.FlushAsync(ctx, succeeded: false);
            return;
        }
        catch (Exception e) when (Storage.StorageErrors.RejectsInput(e))
        {
            // A value the database cannot hold (PostgreSQL: too large for an index entry, out of range): bad input.
            var reason = e.GetBaseException().Message; // cheap, and only on this error path
            CoreLog.InputRefusedByDatabase(auth.Logger, endpoint.Method, endpoint.Path, reason);
            var refusal = http.Request.Method == "GET" ? AuthError.InvalidQuery() : AuthError.InvalidBody();
            telemetry.Complete(refusal.Status, refusal.Code);
            await AuthEventDispatch.FlushAsync(ctx, succeeded: false);
            await WriteErrorAsync(ctx, refusal);
            return;
        }
        catch (Exception e)
        {
            CoreLog.UnhandledError(auth.Logger, e, endpoint.Method, endpoint.Path);
            telemetry.Complete(500, AuthTelemetry.ErrorTypeOf(e));
            await AuthEventDispatch.FlushAsync(ctx, succeeded: false);
            await WriteErrorAsync(ctx, new AuthError(500, "Internal server error"));
            return;
        }
        if (serverCall is not null) serverCall.Result = result;
        telemetry.Complete(result.Status, null);
        // Events go out before the answer, so a client that sees the answer knows the host's handlers have run.
        await AuthEventDispatch.FlushAsync(ctx, succeeded: result.Status < 400);
        await WriteAsync(ctx, result, cookies: true);
    }

    private async Task<AuthResult> RunAsync(AuthContext ctx, AuthEndpoint endpoint)
    {
        foreach (var hook in auth.Registry.BeforeHooks)
            if (hook.Matches(ctx) && await hook.Hook(ctx) is { } early) return early;

        if (endpoint.Session != SessionRequirement.None)
        {
            var session = await ctx.RequireSessionAsync();
            var freshAge = auth.Options.Session.FreshAge;
            if (endpoint.Session == SessionRequirement.Fresh && freshAge > 0 &&
                (auth.Now - session.Session.UpdatedAt).TotalSeconds >= freshAge)
                throw AuthError.Forbidden(CoreErrors.SessionNotFresh);
        }

        var result = await endpoint.Handler(ctx);
        foreach (var hook in auth.Registry.AfterHooks)
            if (hook.Matches(ctx)) result = await hook.Hook(ctx, result);
        return result;
    }

    private async ValueTask<AuthResult?> RateLimitAsync(AuthContext ctx)
    {
        if (!auth.Options.RateLimit.Enabled) return null;
        var ip = ctx.ClientIp;
        if (ip is null) return null;
        var rule = rateRules.RuleFor(ctx.Path);
        if (rule is null) return null;
        var decision = await rateLimits.HitAsync(ip + ctx.Path, rule, auth.Time.GetUtcNow(), ctx.Http.RequestAborted);
        if (decision.Allowed) return null;
        ctx.ResponseHeaders["X-Retry-After"] = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return AuthResult.Json(new RateLimitedBody(CoreErrors.TooManyRequests), 429);
    }

    private async Task WriteErrorAsync(AuthContext ctx, AuthError e)
    {
        var response = ctx.Http.Response;
        if (response.HasStarted) return;
        response.StatusCode = e.Status;
        response.ContentType = "application/json";
        if (e.HasBody)
            await JsonSerializer.SerializeAsync(response.Body, new ErrorBody(e.Code, e.Message, e.Cause), auth.Json.GetTypeInfo(typeof(ErrorBody)), ctx.Http.RequestAborted);
    }

    private async Task WriteAsync(AuthContext ctx, AuthResult result, bool cookies)
    {
        var response = ctx.Http.Response;
        response.StatusCode = result.Status;
        response.Headers.CacheControl = "no-store";
        foreach (var (name, value) in ctx.ResponseHeaders) response.Headers[name] = value;
        if (cookies && ctx.ResponseCookies.Count > 0) response.Headers.SetCookie = ctx.ResponseCookies.ToArray();
        if (result.Location is not null)
        {
            response.Headers.Location = result.Location;
            return;
        }
        if (result.Content is { } content)
        {
            response.ContentType = result.ContentType;
            response.ContentLength = content.Length;
            await response.Body.WriteAsync(content, ctx.Http.RequestAborted);
            return;
        }
        if (result.Html is not null)
        {
            response.ContentType = "text/html";
            await response.WriteAsync(result.Html, ctx.Http.RequestAborted);
            return;
        }
        response.ContentType = "application/json";
        if (!result.WritesJson) return;
        if (result.Body is null)
        {
            await response.Body.WriteAsync("null"u8.ToArray(), ctx.Http.RequestAborted);
            return;
        }
        await JsonSerializer.SerializeAsync(response.Body, result.Body, auth.Json.GetTypeInfo(result.Body.GetType()), ctx.Http.RequestAborted);
    }
}
