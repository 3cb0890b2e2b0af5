using BetterAuth.Core;
using BetterAuth.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth;

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

        foreach (var endpoint in runtime.Registry.Endpoints)
        {
            var e = endpoint;
            var builder = group.MapMethods(e.Path, [e.Method], (HttpContext http) => pipeline.HandleAsync(http, e));
            if (e.OperationId is not null) builder.WithName(e.OperationId);
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
