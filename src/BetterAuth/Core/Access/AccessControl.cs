namespace BetterAuth.Core.Access;

/// <summary>How the resources of one permission request combine: all must be granted (AND, the default) or any one (OR).</summary>
internal enum AccessConnector { And, Or }

/// <summary>The outcome of a permission check, with Better Auth's reason when it is refused.</summary>
internal readonly record struct AccessDecision(bool Success, string? Error)
{
    public static readonly AccessDecision Allowed = new(true, null);
}

/// <summary>
/// A role as Better Auth's access-control module defines it (plugins/access/access.ts): a set of statements, each a
/// resource with the actions the role may perform on it. Plugins with roles (admin, organization) describe their
/// default and host-configured roles with it and ask <see cref="Authorize"/> whether a role grants a request.
/// </summary>
internal sealed class AccessRole
{
    private readonly Dictionary<string, HashSet<string>> _statements;

    public AccessRole(IEnumerable<KeyValuePair<string, IEnumerable<string>>> statements)
    {
        _statements = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (resource, actions) in statements)
            _statements[resource] = new HashSet<string>(actions, StringComparer.Ordinal);
    }

    /// <summary>Builds a role from <c>resource → actions</c> pairs, e.g. <c>("user", ["list", "ban"])</c>.</summary>
    public static AccessRole Of(params (string Resource, string[] Actions)[] statements) =>
        new(statements.Select(s => new KeyValuePair<string, IEnumerable<string>>(s.Resource, s.Actions)));

    public IReadOnlyDictionary<string, HashSet<string>> Statements => _statements;

    /// <summary>
    /// Better Auth's <c>role.authorize</c>: a resource the role has no statement for refuses the whole request; a
    /// resource is granted when the role allows every requested action on it (an empty action list is granted when
    /// the role has a statement for the resource); an empty request is never granted.
    /// </summary>
    public AccessDecision Authorize(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> request, AccessConnector connector = AccessConnector.And)
    {
        var success = false;
        foreach (var (resource, actions) in request)
        {
            if (!_statements.TryGetValue(resource, out var allowed))
                return new AccessDecision(false, $"You are not allowed to access resource: {resource}");
            success = actions.All(allowed.Contains);
            if (success && connector == AccessConnector.Or) return AccessDecision.Allowed;
            if (!success && connector == AccessConnector.And)
                return new AccessDecision(false, $"unauthorized to access resource \"{resource}\"");
        }
        return success ? AccessDecision.Allowed : new AccessDecision(false, "Not authorized");
    }
}

/// <summary>Role lists as Better Auth stores them: one string of role names joined by commas, e.g. <c>"user,support"</c>.</summary>
internal static class AccessRoles
{
    public static string[] Split(string roles) => roles.Split(',');

    public static string Join(IEnumerable<string> roles) => string.Join(",", roles);

    /// <summary>True when any of the comma-joined <paramref name="roles"/> is a known role that grants the whole request.</summary>
    public static bool AnyGrants(IReadOnlyDictionary<string, AccessRole> known, string roles,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> request)
    {
        var materialized = request as IReadOnlyCollection<KeyValuePair<string, IReadOnlyList<string>>> ?? request.ToList();
        foreach (var role in Split(roles))
            if (known.TryGetValue(role, out var r) && r.Authorize(materialized).Success) return true;
        return false;
    }
}
