namespace BetterAuth.Plugins.Admin;

/// <summary>The admin plugin's messages (plugins/admin/error-codes.ts); the wire code is derived from each.</summary>
internal static class AdminErrors
{
    public const string BannedUserCode = "BANNED_USER";
    public const string FailedToCreateUser = "Failed to create user";
    public const string UserAlreadyExists = "User already exists";
    public const string YouCannotBanYourself = "You cannot ban yourself";
    public const string NotAllowedToChangeRole = "You are not allowed to change users role";
    public const string NotAllowedToCreateUsers = "You are not allowed to create users";
    public const string NotAllowedToListUsers = "You are not allowed to list users";
    public const string NotAllowedToListSessions = "You are not allowed to list users sessions";
    public const string NotAllowedToBanUsers = "You are not allowed to ban users";
    public const string NotAllowedToImpersonate = "You are not allowed to impersonate users";
    public const string NotAllowedToRevokeSessions = "You are not allowed to revoke users sessions";
    public const string NotAllowedToDeleteUsers = "You are not allowed to delete users";
    public const string NotAllowedToSetPassword = "You are not allowed to set users password";
    /// <summary>From later Better Auth releases, which refuse impersonating admins by default.</summary>
    public const string CannotImpersonateAdmins = "You cannot impersonate admins";
    public const string NotImpersonating = "You are not impersonating anyone";
    public const string FailedToFindUser = "Failed to find user";
    public const string FailedToFindAdminSession = "Failed to find admin session";
    /// <summary>has-permission's lower-case message for an unknown userId (code USER_NOT_FOUND).</summary>
    public const string PermissionUserNotFound = "user not found";
}
