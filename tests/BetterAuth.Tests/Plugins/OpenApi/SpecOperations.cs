using System.Text.RegularExpressions;

using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.OpenApi;

/// <summary>One operation of the API spec: method, path, tag, summary and the request body's members.</summary>
public sealed record SpecOperation(string Method, string Path, string Tag, string Summary, IReadOnlyList<SpecField> Body)
{
    public override string ToString() => $"{Method} {Path}";
}

public sealed record SpecField(string Name, bool Required, string Type);

/// <summary>
/// Reads the 80 operations of <c>../shared/spec/better-auth-api.md</c> (the markdown rendering of Better Auth's OpenAPI
/// document), the same way e2e/lib/spec.mjs does, so the in-process and the Node comparison agree on what "80" means.
/// </summary>
public static partial class SpecOperations
{
    public const int Expected = 80;

    /// <summary>
    /// BETTER_AUTH_SPEC, else <c>../shared/spec/better-auth-api.md</c> from the repository root, found upwards from
    /// this source file (the test binaries may be built outside the repository, e.g. with --artifacts-path).
    /// </summary>
    public static string? FindSpec()
    {
        if (Environment.GetEnvironmentVariable("BETTER_AUTH_SPEC") is { Length: > 0 } configured) return configured;
        if (TestServices.TryRepoRoot() is not { } root) return null;
        var spec = Path.GetFullPath(Path.Combine(root, "..", "shared", "spec", "better-auth-api.md"));
        return File.Exists(spec) ? spec : null;
    }

    public static IReadOnlyList<SpecOperation> Load(string file)
    {
        var lines = File.ReadAllLines(file);
        var operations = new List<SpecOperation>();
        string? method = null, path = null, tag = "", summary = "";
        List<SpecField> body = new();
        var section = "";
        void Flush()
        {
            if (method is not null) operations.Add(new SpecOperation(method, path!, tag!, summary!, body));
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (OperationHeading().Match(line) is { Success: true } head)
            {
                Flush();
                (method, path, tag, summary, body, section) = (head.Groups[1].Value, head.Groups[2].Value, "", "", new(), "intro");
                continue;
            }
            if (method is null) continue;
            if (line.StartsWith("## ", StringComparison.Ordinal)) { Flush(); method = null; continue; }
            if (line.StartsWith("#### ", StringComparison.Ordinal)) { section = line.StartsWith("#### Request Body", StringComparison.Ordinal) ? "body" : "other"; continue; }
            if (section == "intro")
            {
                if (TagLine().Match(line) is { Success: true } t) tag = t.Groups[1].Value.Trim();
                else if (line.Trim().Length > 0 && !line.StartsWith("- **", StringComparison.Ordinal) && summary!.Length == 0) summary = line.Trim();
            }
            else if (section == "body" && FieldLine().Match(line) is { Success: true } field)
            {
                // The type follows after a blank line: "  `string` — description".
                var j = i + 1;
                while (j < lines.Length && lines[j].Trim().Length == 0) j++;
                var type = j < lines.Length && TypeLine().Match(lines[j]) is { Success: true } ty ? ty.Groups[1].Value : "";
                body.Add(new SpecField(field.Groups[1].Value, field.Groups[2].Success, type));
            }
        }
        Flush();
        return operations;
    }

    [GeneratedRegex(@"^### (GET|POST|PUT|PATCH|DELETE) (\S+)\s*$")]
    private static partial Regex OperationHeading();
    [GeneratedRegex(@"^- \*\*Tags:\*\* (.*)$")]
    private static partial Regex TagLine();
    [GeneratedRegex(@"^- \*\*`([^`]+)`( \(required\))?\*\*")]
    private static partial Regex FieldLine();
    [GeneratedRegex(@"^\s+`([^`]+)`")]
    private static partial Regex TypeLine();
}
