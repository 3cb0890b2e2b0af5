using BetterAuth.Core.Errors;

namespace BetterAuth.Core.Users;

/// <summary>Password length rules (8..128 UTF-16 units by default), the same on every path that sets a password.</summary>
internal static class PasswordPolicy
{
    public static void Check(EmailAndPasswordOptions options, string password) => CheckLength(options, password.Length);

    /// <summary>The rules on a length alone (sign-up applies them to an array password's length, as Better Auth does).</summary>
    public static void CheckLength(EmailAndPasswordOptions options, int length)
    {
        if (length < options.MinPasswordLength) throw AuthError.BadRequest(CoreErrors.PasswordTooShort);
        if (length > options.MaxPasswordLength) throw AuthError.BadRequest(CoreErrors.PasswordTooLong);
    }
}
