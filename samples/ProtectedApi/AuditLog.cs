using BetterAuth.AspNetCore;
using BetterAuth.Core.Events;
using BetterAuth.Plugins.Organization;

namespace ProtectedApi;

/// <summary>Writes what happens in Better Auth to the log; a real app might send a welcome mail or sync a CRM here.</summary>
public sealed class AuditLog(ILogger<AuditLog> logger) : IBetterAuthEvents
{
    public ValueTask OnUserCreatedAsync(UserCreatedEvent e, CancellationToken ct)
    {
        logger.LogInformation("User {UserId} signed up as {Email}", e.User.Id, e.User.Email);
        return default;
    }

    public ValueTask OnSignedInAsync(SignedInEvent e, CancellationToken ct)
    {
        logger.LogInformation("User {UserId} signed in from {Ip}", e.User.Id, e.Session.IpAddress);
        return default;
    }

    public ValueTask OnOrganizationCreatedAsync(OrganizationCreatedEvent e, CancellationToken ct)
    {
        logger.LogInformation("User {UserId} created organization {Slug}", e.CreatedBy.Id, e.Organization.Slug);
        return default;
    }
}
