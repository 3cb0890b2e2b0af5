using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Events;

/// <summary>
/// Something that happened in the auth server that the host may want to react to (a user signed up, a session was
/// revoked, an organization was created...). Core and plugins raise events with <see cref="AuthContext.Raise"/> (or
/// <see cref="AuthStoreContext.Raise"/>); they are delivered once the request's work is done, to every
/// <see cref="IAuthEventHandler{TEvent}"/> registered in DI.
/// Declare a new event as <c>sealed record XEvent(...) : AuthEvent&lt;XEvent&gt;</c>.
/// </summary>
public abstract record AuthEvent
{
    /// <summary>Calls the handlers registered for this event's own type; a failing handler is logged and skipped.</summary>
    internal abstract ValueTask DispatchAsync(IServiceProvider services, ILogger logger, CancellationToken ct);
}

/// <summary>The base of every concrete event: it knows its own type, so handlers are found without reflection.</summary>
public abstract record AuthEvent<TSelf> : AuthEvent where TSelf : AuthEvent<TSelf>
{
    internal sealed override async ValueTask DispatchAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        foreach (var handler in services.GetServices<IAuthEventHandler<TSelf>>())
            await AuthEventDispatch.InvokeSafelyAsync(() => handler.HandleAsync((TSelf)this, ct), logger, typeof(TSelf).Name);
    }
}

/// <summary>
/// Receives events of one type (register it in DI, any lifetime, as many as you like). Register an
/// <c>IAuthEventHandler&lt;AuthEvent&gt;</c> to receive every event. Events report work that is already done: to refuse
/// an operation, use an <see cref="Plugins.IAuthLifecycle"/> hook instead. An exception thrown here is logged and does
/// not change the answer the client gets.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Public API: a handler of auth events, not a .NET event delegate; renaming would break hosts.")]
public interface IAuthEventHandler<in TEvent> where TEvent : AuthEvent
{
    /// <summary>Handles one event, after the change is committed.</summary>
    ValueTask HandleAsync(TEvent e, CancellationToken ct);
}

/// <summary>Delivers the events a request raised, after its handler and hooks ran and before the answer is written.</summary>
internal static class AuthEventDispatch
{
    public static ValueTask FlushAsync(AuthContext ctx, bool succeeded) =>
        ctx.HasPendingEvents ? FlushCoreAsync(ctx, succeeded) : ValueTask.CompletedTask;

    private static async ValueTask FlushCoreAsync(AuthContext ctx, bool succeeded)
    {
        try
        {
            await DeliverAsync(ctx, succeeded);
        }
        catch (Exception e)
        {
            // Delivery must never turn a finished operation into an error answer.
            Telemetry.CoreLog.EventDeliveryFailed(ctx.Auth.Logger, e);
        }
    }

    private static async Task DeliverAsync(AuthContext ctx, bool succeeded)
    {
        var events = ctx.TakePendingEvents();
        // A sign-in counts once the client holds the session: not when the request failed, and not when the caller's
        // own session was only rotated. A challenged sign-in (two-factor) never created one.
        if (succeeded) events.AddRange(await SignInsAsync(ctx));
        ctx.ClearSessionTracking();
        if (events.Count == 0) return;

        // Delivered even when the client went away: the changes they describe are already committed.
        await DispatchAsync(events, ctx.Http.RequestServices, ctx.Auth.Logger, CancellationToken.None);
    }

    /// <summary>Hands each event to its type's handlers and to the catch-all ones; a failing handler is logged and skipped.</summary>
    internal static async Task DispatchAsync(List<AuthEvent> events, IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var catchAll = services.GetServices<IAuthEventHandler<AuthEvent>>().ToArray();
        foreach (var e in events)
        {
            await e.DispatchAsync(services, logger, ct);
            foreach (var handler in catchAll)
                await InvokeSafelyAsync(() => handler.HandleAsync(e, ct), logger, e.GetType().Name);
        }
    }

    private static async Task<List<AuthEvent>> SignInsAsync(AuthContext ctx)
    {
        var result = new List<AuthEvent>();
        foreach (var session in ctx.SignedInSessions().ToList())
        {
            var user = ctx.NewSession is { } pair && pair.Session.Id == session.Id
                ? pair.User
                : await ctx.Store.FindUserByIdAsync(session.UserId);
            if (user is not null) result.Add(new SignedInEvent(user, session));
        }
        return result;
    }

    internal static async ValueTask InvokeSafelyAsync(Func<ValueTask> call, ILogger logger, string eventName)
    {
        try
        {
            await call();
        }
        catch (Exception e)
        {
            Telemetry.CoreLog.EventHandlerFailed(logger, e, eventName);
        }
    }
}
