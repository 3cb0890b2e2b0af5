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
    public const string IsAnonymousField = "isAnonymous";
    public const string CannotSignInAgain = "Anonymous users cannot sign in again anonymously";

    public AnonymousOptions Options { get; } = options ?? new AnonymousOptions();

    public string Id => "anonymous";

    public void Configure(AuthPluginBuilder builder)
    {
        // Input=false: only this plugin marks a user anonymous. (Better Auth 1.2.12 let sign-up and update-user set it.)
        builder.AddUserField(new FieldDefinition(IsAnonymousField, FieldType.Boolean) { Input = false });
        builder.AddEndpoint(SignInAnonymousEndpoint.Create(Options));
        var linking = new AnonymousLinking(Options);
        builder.After(AnonymousLinking.Matches, linking.RunAsync);
        builder.AddJsonTypes(AnonymousJsonContext.Default);
    }

    public static bool IsAnonymous(User? user) => user?.Get<bool?>(IsAnonymousField) == true;
}
