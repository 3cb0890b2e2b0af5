using BetterAuth.Core.Events;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Organization;
using Microsoft.Extensions.Logging;

namespace BetterAuth.AspNetCore;

/// <summary>
/// One place for a host to react to what happens in Better Auth: implement the methods you need (the others do
/// nothing) and register the class with <c>services.AddBetterAuthEvents&lt;T&gt;()</c>. Each method runs once per
/// event, after the change is committed and before the client gets its answer; an exception is logged and does not
/// change that answer. (For one event type alone, register an <see cref="IAuthEventHandler{TEvent}"/> instead.)
/// </summary>
public interface IBetterAuthEvents
{
    /// <summary>A user was created (sign-up, social sign-in, admin).</summary>
    ValueTask OnUserCreatedAsync(UserCreatedEvent e, CancellationToken ct) => default;
    /// <summary>A user signed in.</summary>
    ValueTask OnSignedInAsync(SignedInEvent e, CancellationToken ct) => default;
    /// <summary>A user signed out.</summary>
    ValueTask OnSignedOutAsync(SignedOutEvent e, CancellationToken ct) => default;
    /// <summary>A user changed their password.</summary>
    ValueTask OnPasswordChangedAsync(PasswordChangedEvent e, CancellationToken ct) => default;
    /// <summary>A password was reset.</summary>
    ValueTask OnPasswordResetAsync(PasswordResetEvent e, CancellationToken ct) => default;
    /// <summary>One or more sessions were revoked.</summary>
    ValueTask OnSessionRevokedAsync(SessionRevokedEvent e, CancellationToken ct) => default;
    /// <summary>An email address was verified.</summary>
    ValueTask OnEmailVerifiedAsync(EmailVerifiedEvent e, CancellationToken ct) => default;
    /// <summary>A user was deleted.</summary>
    ValueTask OnUserDeletedAsync(UserDeletedEvent e, CancellationToken ct) => default;
    /// <summary>An admin banned a user.</summary>
    ValueTask OnUserBannedAsync(UserBannedEvent e, CancellationToken ct) => default;
    /// <summary>An admin lifted a ban.</summary>
    ValueTask OnUserUnbannedAsync(UserUnbannedEvent e, CancellationToken ct) => default;
    /// <summary>An organization was created.</summary>
    ValueTask OnOrganizationCreatedAsync(OrganizationCreatedEvent e, CancellationToken ct) => default;
    /// <summary>An organization was deleted.</summary>
    ValueTask OnOrganizationDeletedAsync(OrganizationDeletedEvent e, CancellationToken ct) => default;
    /// <summary>A member joined an organization.</summary>
    ValueTask OnMemberAddedAsync(MemberAddedEvent e, CancellationToken ct) => default;
    /// <summary>Every event, including those above and any a plugin defines; runs after the specific method.</summary>
    ValueTask OnEventAsync(AuthEvent e, CancellationToken ct) => default;
}

/// <summary>Feeds every event to the registered <see cref="IBetterAuthEvents"/> implementations.</summary>
internal sealed class BetterAuthEventsAdapter(IEnumerable<IBetterAuthEvents> subscribers, ILogger<BetterAuthEventsAdapter> logger)
    : IAuthEventHandler<AuthEvent>
{
    public async ValueTask HandleAsync(AuthEvent e, CancellationToken ct)
    {
        foreach (var subscriber in subscribers)
        {
            // One failing subscriber must not keep the event from the others.
            await AuthEventDispatch.InvokeSafelyAsync(() => Specific(subscriber, e, ct), logger, e.GetType().Name);
            await AuthEventDispatch.InvokeSafelyAsync(() => subscriber.OnEventAsync(e, ct), logger, e.GetType().Name);
        }
    }

    private static ValueTask Specific(IBetterAuthEvents s, AuthEvent e, CancellationToken ct) => e switch
    {
        UserCreatedEvent x => s.OnUserCreatedAsync(x, ct),
        SignedInEvent x => s.OnSignedInAsync(x, ct),
        SignedOutEvent x => s.OnSignedOutAsync(x, ct),
        PasswordChangedEvent x => s.OnPasswordChangedAsync(x, ct),
        PasswordResetEvent x => s.OnPasswordResetAsync(x, ct),
        SessionRevokedEvent x => s.OnSessionRevokedAsync(x, ct),
        EmailVerifiedEvent x => s.OnEmailVerifiedAsync(x, ct),
        UserDeletedEvent x => s.OnUserDeletedAsync(x, ct),
        UserBannedEvent x => s.OnUserBannedAsync(x, ct),
        UserUnbannedEvent x => s.OnUserUnbannedAsync(x, ct),
        OrganizationCreatedEvent x => s.OnOrganizationCreatedAsync(x, ct),
        OrganizationDeletedEvent x => s.OnOrganizationDeletedAsync(x, ct),
        MemberAddedEvent x => s.OnMemberAddedAsync(x, ct),
        _ => default,
    };
}
