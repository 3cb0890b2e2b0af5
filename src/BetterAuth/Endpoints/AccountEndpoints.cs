using BetterAuth.Core.Http;
using BetterAuth.Core.Json;

namespace BetterAuth.Endpoints;

internal static class AccountEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Get("/list-accounts", ListAccounts) with { Session = SessionRequirement.Required, OperationId = "listUserAccounts", Summary = "List all accounts linked to the user" },
    ];

    /// <summary>GET /list-accounts: the key is <c>provider</c> (not providerId) at this version; scopes split on commas.</summary>
    private static async ValueTask<AuthResult> ListAccounts(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var accounts = await ctx.Store.FindAccountsAsync(current.User.Id);
        return AuthResult.Json(accounts.Select(a => new AccountListItem(a.Id, a.ProviderId, a.CreatedAt, a.UpdatedAt, a.AccountId,
            string.IsNullOrEmpty(a.Scope) ? [] : a.Scope.Split(','))).ToList());
    }
}
