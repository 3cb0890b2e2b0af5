using System.Text.RegularExpressions;
using BetterAuth.Core.Errors;

namespace BetterAuth.Plugins.Username;

/// <summary>The checks a username passes wherever a client gives one (sign-in, sign-up, update-user), in Better Auth's order.</summary>
internal sealed partial class UsernameRules(UsernameOptions options)
{
    private readonly int _min = options.MinUsernameLength > 0 ? options.MinUsernameLength : UsernameOptions.DefaultMinUsernameLength;
    private readonly int _max = options.MaxUsernameLength > 0 ? options.MaxUsernameLength : UsernameOptions.DefaultMaxUsernameLength;
    private readonly Func<string, bool> _validator = options.UsernameValidator ?? IsDefaultValid;

    /// <summary>Usernames are stored and looked up lowercased (Better Auth's field transform), so lookups ignore case.</summary>
    public static string Normalize(string username) => username.ToLowerInvariant();

    /// <summary>Throws 422 "too short", "too long" or "invalid"; length is counted in UTF-16 units as JavaScript does.</summary>
    public void Validate(string username)
    {
        if (username.Length < _min) throw AuthError.Unprocessable(UsernameErrors.UsernameTooShort);
        if (username.Length > _max) throw AuthError.Unprocessable(UsernameErrors.UsernameTooLong);
        if (!_validator(username)) throw AuthError.Unprocessable(UsernameErrors.InvalidUsername);
    }

    private static bool IsDefaultValid(string username) => DefaultPattern().IsMatch(username);

    // \z, not $: .NET's $ also matches before a final newline, which JavaScript's /^…$/ does not.
    [GeneratedRegex(@"^[a-zA-Z0-9_.]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultPattern();
}
