using BetterAuth.Core.Errors;

namespace BetterAuth.Core.Users;

/// <summary>Password length rules (8..128 UTF-16 units by default), the same on every path that sets a password.</summary>
internal static class PasswordPolicy
{
    public static void Check(EmailAndPasswordOptions options, string password)
    {
        if (password.Length < options.MinPasswordLength) throw AuthError.BadRequest(CoreErrors.PasswordTooShort);
        if (password.Length > options.MaxPasswordLength) throw AuthError.BadRequest(CoreErrors.PasswordTooLong);
    }
}
