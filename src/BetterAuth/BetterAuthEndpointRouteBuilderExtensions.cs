using BetterAuth.Core;
using BetterAuth.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth;

/// <summary>Maps the Better Auth API into a host's routes.</summary>
public static class BetterAuthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every Better Auth endpoint (core and plugins) under <paramref name="basePath"/> (default: the options'
    /// <c>BasePath</c>, <c>/api/auth</c>). Unknown paths and known paths with the wrong method answer 404 with an
    /// empty body, as Better Auth's router does.
    /// </summary>
    public static RouteGroupBuilder MapBetterAuth(this IEndpointRouteBuilder app, string? basePath = null)
    {
        var runtime = app.ServiceProvider.GetRequiredService<AuthRuntime>();
        if (basePath is not null) runtime.SetBasePath(basePath);
        var pipeline = app.ServiceProvider.GetRequiredService<AuthPipeline>();
        var group = app.MapGroup(runtime.BasePath);
        // The API checks sessions itself; a host's fallback policy (e.g. "authenticated users only") must not lock
        // clients out of signing in.
        group.AllowAnonymous();

        var seen = new HashSet<(string, string)>();
        foreach (var endpoint in runtime.Registry.Endpoints)
        {
            var e = endpoint;
            if (!seen.Add((e.Method, e.Path)))
                throw new InvalidOperationException($"BetterAuth: {e.Method} {e.Path} is registered twice (two plugins claim it).");
            // Operation ids are Better Auth's and may repeat across plugins, so they are metadata, not ASP.NET endpoint names.
            var builder = group.MapMethods(e.Path, [e.Method], (HttpContext http) => pipeline.HandleAsync(http, e))
                .WithDisplayName($"BetterAuth {e.Method} {e.Path}")
                // Lets host middleware (logging, metrics) tell which operation a request reached: GetEndpoint()?.Metadata.GetMetadata<AuthEndpoint>().
                .WithMetadata(e);
            if (e.Summary is not null) builder.WithSummary(e.Summary);
        }

        group.Map("{**path}", (HttpContext http) =>
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }).Add(b => ((RouteEndpointBuilder)b).Order = int.MaxValue);
        return group;
    }
}
