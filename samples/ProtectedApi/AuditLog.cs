using BetterAuth.AspNetCore;
using BetterAuth.Core.Events;
using BetterAuth.Plugins.Organization;

namespace ProtectedApi;

/// <summary>Writes what happens in Better Auth to the log; a real app might send a welcome mail or sync a CRM here.</summary>
public sealed partial class AuditLog(ILogger<AuditLog> logger) : IBetterAuthEvents
{
    public ValueTask OnUserCreatedAsync(UserCreatedEvent e, CancellationToken ct)
    {
        UserCreated(logger, e.User.Id, e.User.Email);
        return default;
    }

    public ValueTask OnSignedInAsync(SignedInEvent e, CancellationToken ct)
    {
        SignedIn(logger, e.User.Id, e.Session.IpAddress);
        return default;
    }

    public ValueTask OnOrganizationCreatedAsync(OrganizationCreatedEvent e, CancellationToken ct)
    {
        OrganizationCreated(logger, e.CreatedBy.Id, e.Organization.Slug);
        return default;
    }

    // Source-generated log methods: the message is formatted only when Information is enabled.
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "User {UserId} signed up as {Email}")]
    private static partial void UserCreated(ILogger logger, string userId, string email);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "User {UserId} signed in from {Ip}")]
    private static partial void SignedIn(ILogger logger, string userId, string? ip);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "User {UserId} created organization {Slug}")]
    private static partial void OrganizationCreated(ILogger logger, string userId, string slug);
}
