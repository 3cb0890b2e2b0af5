using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Anonymous;

/// <summary>
/// Better Auth's anonymous plugin: POST /sign-in/anonymous creates a throwaway user (<c>user.isAnonymous</c>), and
/// when that browser later signs in or up for real, the anonymous user is handed to onLinkAccount and deleted.
/// Register it after plugins whose after-hooks may withdraw a new session (two-factor), as Better Auth's order has it.
/// </summary>
public sealed class AnonymousPlugin(AnonymousOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>The <c>user</c> column marking anonymous users.</summary>
    public const string IsAnonymousField = "isAnonymous";
    /// <summary>Better Auth's message when an anonymous user signs in anonymously again.</summary>
    public const string CannotSignInAgain = "Anonymous users cannot sign in again anonymously";

    /// <summary>The plugin's options.</summary>
    public AnonymousOptions Options { get; } = options ?? new AnonymousOptions();

    /// <summary>The sign-in method name challenges see (<see cref="Core.Plugins.SignInAttempt.Method"/>): a new anonymous user (POST /sign-in/anonymous).</summary>
    internal const string SignInMethod = "anonymous";

    /// <summary>Better Auth's plugin id, <c>anonymous</c>.</summary>
    public string Id => "anonymous";

    /// <summary>Registers the plugin's endpoint, user column and linking hook.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        // Input=false: only this plugin marks a user anonymous. (Better Auth 1.2.12 let sign-up and update-user set it.)
        builder.AddUserField(new FieldDefinition(IsAnonymousField, FieldType.Boolean) { Input = false });
        builder.AddEndpoint(SignInAnonymousEndpoint.Create(Options));
        var linking = new AnonymousLinking(Options);
        builder.After(AnonymousLinking.Matches, linking.RunAsync);
        builder.AddJsonTypes(AnonymousJsonContext.Default);
    }

    /// <summary>Whether a user is anonymous.</summary>
    public static bool IsAnonymous(User? user) => user?.Get<bool?>(IsAnonymousField) == true;
}
