using System.Text.RegularExpressions;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// Plugins write core tables (user, session, account, verification) through <c>AuthStore</c> only, where the session
/// cache is invalidated and the lifecycle hooks run; they may read them (without tracking) directly.
/// </summary>
public sealed partial class StoreBoundaryTests
{
    [GeneratedRegex(@"\bDb\.(Users|Sessions|Accounts|Verifications)\b(?!\.AsNoTracking\(\))|\bSet<(User|Session|Account|Verification)>\(\)(?!\.AsNoTracking\(\))")]
    private static partial Regex CoreTableUse();

    [Fact]
    public void Plugins_WriteCoreTablesOnlyThroughTheStore()
    {
        var root = TestServices.RepoRoot();
        var plugins = Directory.GetFiles(Path.Combine(root, "src", "BetterAuth", "Plugins"), "*.cs", SearchOption.AllDirectories)
            .Concat(new[] { "BetterAuth.TwoFactor", "BetterAuth.Passkey", "BetterAuth.PhoneNumber" }
                .SelectMany(p => Directory.GetFiles(Path.Combine(root, "src", p), "*.cs", SearchOption.AllDirectories)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
        var offenders = (from file in plugins
                         from line in File.ReadLines(file).Select((text, i) => (text, number: i + 1))
                         where CoreTableUse().IsMatch(line.text)
                         select $"{Path.GetRelativePath(root, file)}:{line.number}: {line.text.Trim()}").ToList();
        Assert.True(offenders.Count == 0, "core tables used for more than an untracked read:\n" + string.Join("\n", offenders));
    }

    /// <summary>
    /// The store knows nothing of HTTP: what it needs of its caller comes from <c>AuthStoreContext</c>, so work outside a
    /// request (jobs, tools, the server API) uses it without an <c>HttpContext</c>, faked or real.
    /// </summary>
    [Fact]
    public void Storage_DoesNotReadTheHttpRequest()
    {
        var root = TestServices.RepoRoot();
        var offenders = (from file in Directory.GetFiles(Path.Combine(root, "src", "BetterAuth", "Core", "Storage"), "*.cs")
                         from line in File.ReadLines(file).Select((text, i) => (text, number: i + 1))
                         where HttpUse().IsMatch(line.text)
                         select $"{Path.GetRelativePath(root, file)}:{line.number}: {line.text.Trim()}").ToList();
        Assert.True(offenders.Count == 0, "the store reads the HTTP request:\n" + string.Join("\n", offenders));
    }

    [GeneratedRegex(@"Microsoft\.AspNetCore|HttpContext|(?<!Core)\.Http\b|RequestAborted|ClientIp")]
    private static partial Regex HttpUse();
}
