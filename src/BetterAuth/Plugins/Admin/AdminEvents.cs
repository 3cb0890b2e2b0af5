using BetterAuth.Core.Events;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>An admin banned <paramref name="User"/> (ban-user); their sessions were ended. <paramref name="ExpiresAt"/> null: no end.</summary>
public sealed record UserBannedEvent(User User, string Reason, DateTime? ExpiresAt, User BannedBy) : AuthEvent<UserBannedEvent>;

/// <summary>
/// <paramref name="User"/>'s ban was lifted: by an admin (unban-user, <paramref name="UnbannedBy"/> set), or because it
/// had expired when they next signed in (<paramref name="UnbannedBy"/> null).
/// </summary>
public sealed record UserUnbannedEvent(User User, User? UnbannedBy) : AuthEvent<UserUnbannedEvent>;
