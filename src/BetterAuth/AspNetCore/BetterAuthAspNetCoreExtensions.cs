using BetterAuth.AspNetCore;
using BetterAuth.Core.Events;
using BetterAuth.Core.Plugins;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BetterAuth;

/// <summary>Adds the Better Auth authentication scheme, events and database hooks to a host.</summary>
public static class BetterAuthAspNetCoreExtensions
{
    /// <summary>
    /// Adds the Better Auth authentication scheme (<see cref="BetterAuthDefaults.AuthenticationScheme"/>): requests to
    /// the host's endpoints are authenticated by their Better Auth session cookie or bearer token, and
    /// <c>HttpContext.User</c> carries the user's claims (<see cref="BetterAuthClaimTypes"/>). Needs
    /// <c>services.AddBetterAuth(...)</c>.
    /// </summary>
    public static AuthenticationBuilder AddBetterAuth(this AuthenticationBuilder builder,
        string scheme = BetterAuthDefaults.AuthenticationScheme, Action<BetterAuthAuthenticationOptions>? configure = null) =>
        builder.AddScheme<BetterAuthAuthenticationOptions, BetterAuthAuthenticationHandler>(scheme, "Better Auth", configure);

    /// <summary>Subscribes <typeparamref name="T"/> (resolved per request, so it may take scoped services) to Better Auth's events.</summary>
    public static IServiceCollection AddBetterAuthEvents<T>(this IServiceCollection services) where T : class, IBetterAuthEvents
    {
        services.AddScoped<IBetterAuthEvents, T>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthEventHandler<AuthEvent>, BetterAuthEventsAdapter>());
        return services;
    }

    /// <summary>Subscribes one shared instance to Better Auth's events.</summary>
    public static IServiceCollection AddBetterAuthEvents(this IServiceCollection services, IBetterAuthEvents subscriber)
    {
        services.AddSingleton(subscriber);
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthEventHandler<AuthEvent>, BetterAuthEventsAdapter>());
        return services;
    }

    /// <summary>
    /// Adds database hooks (Better Auth's <c>databaseHooks</c>): before/after a user or session is created or updated,
    /// before a user is deleted. Throwing an <c>AuthError</c> from a "before" hook refuses the operation with that answer.
    /// </summary>
    public static IServiceCollection AddBetterAuthDatabaseHooks<T>(this IServiceCollection services) where T : class, IAuthLifecycle =>
        services.AddScoped<IAuthLifecycle, T>();

    /// <summary>What <c>AddBetterAuth</c> registers for hosts: the server-side API and the authorization handlers.</summary>
    internal static void AddBetterAuthHostServices(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new BetterAuthApi(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<Core.AuthRuntime>(),
            sp.GetRequiredService<Core.Http.AuthPipeline>()));
        services.TryAddSingleton<BetterAuthAuthorizationRules>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, AdminRequirementHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, OrganizationPermissionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ApiKeyPermissionHandler>());
    }
}
