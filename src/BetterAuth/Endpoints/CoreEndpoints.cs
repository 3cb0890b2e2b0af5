using BetterAuth.Core.OAuth;
using BetterAuth.Core.Plugins;

namespace BetterAuth.Endpoints;

/// <summary>The endpoints Better Auth serves without plugins, one file per group.</summary>
internal static class CoreEndpoints
{
    public static void Register(AuthRegistry registry)
    {
        registry.Endpoints.AddRange(SignUpEndpoints.All);
        registry.Endpoints.AddRange(SignInEndpoints.All);
        registry.Endpoints.AddRange(SessionEndpoints.All);
        registry.Endpoints.AddRange(UserEndpoints.All);
        registry.Endpoints.AddRange(AccountEndpoints.All);
        registry.Endpoints.AddRange(SocialEndpoints.All);
        registry.JsonResolvers.Add(OAuthJsonContext.Default);
        registry.Endpoints.AddRange(EmailVerificationEndpoints.All);
        registry.Endpoints.AddRange(PasswordResetEndpoints.All);
        registry.Endpoints.AddRange(ChangeEmailEndpoints.All);
        registry.Endpoints.AddRange(DeleteUserEndpoints.All);
        registry.Endpoints.AddRange(StatusEndpoints.All);
        // The marks of core's verification rows (the OAuth state is of the unmarked random-token form).
        registry.VerificationIdentifiers.ReservePrefix(PasswordResetEndpoints.Identifier);
        registry.VerificationIdentifiers.ReservePrefix(DeleteUserEndpoints.Identifier);
    }
}
