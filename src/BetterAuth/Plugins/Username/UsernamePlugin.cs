using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Username;

/// <summary>
/// Better Auth's username plugin: <c>user.username</c> (unique, stored lowercased) and <c>user.displayUsername</c>
/// (as typed), validated on sign-up and update-user, and POST /sign-in/username.
/// </summary>
public sealed class UsernamePlugin(UsernameOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>The <c>user</c> column holding the normalized username.</summary>
    public const string UsernameField = "username";
    /// <summary>The <c>user</c> column holding the username as typed.</summary>
    public const string DisplayUsernameField = "displayUsername";

    /// <summary>The plugin's options.</summary>
    public UsernameOptions Options { get; } = options ?? new UsernameOptions();

    /// <summary>The sign-in method name challenges see (<see cref="Core.Plugins.SignInAttempt.Method"/>): username and password (POST /sign-in/username).</summary>
    internal const string SignInMethod = "username";

    /// <summary>Better Auth's plugin id, <c>username</c>.</summary>
    public string Id => "username";

    /// <summary>Registers the plugin's endpoint, user columns and hooks.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        var rules = new UsernameRules(Options);
        builder.AddUserField(new FieldDefinition(UsernameField, FieldType.String)
        {
            Unique = true,
            TransformInput = value => value is string s ? UsernameRules.Normalize(s) : value,
        });
        builder.AddUserField(new FieldDefinition(DisplayUsernameField, FieldType.String));
        builder.AddEndpoint(SignInUsernameEndpoint.Create(rules));
        var profileHook = new ProfileUsernameHook(rules);
        builder.Before(ProfileUsernameHook.Matches, profileHook.RunAsync);
        builder.AddJsonTypes(UsernameJsonContext.Default);
    }
}
