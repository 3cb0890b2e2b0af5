namespace BetterAuth.Plugins.ApiKey;

/// <summary>A key's permissions (resource → actions) as the ASP.NET Core scheme turns them into claims.</summary>
internal static class ApiKeyPermissions
{
    /// <summary>The key's stored permissions; empty when it has none.</summary>
    public static IReadOnlyDictionary<string, string[]> Of(ApiKeyRow key) =>
        ApiKeyJson.ParsePermissions(key.Permissions) ?? new Dictionary<string, string[]>();

    /// <summary>The claim value of one permission: <c>resource:action</c>.</summary>
    public static string Claim(string resource, string action) => resource + ":" + action;
}
