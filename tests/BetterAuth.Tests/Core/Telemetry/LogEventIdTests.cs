using System.Reflection;
using System.Text.RegularExpressions;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Tests.Core.Telemetry;

/// <summary>
/// Every log message of the library packages has an event id of its own, and docs/OBSERVABILITY.md, which operators
/// alert from, lists each one by id and name.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] LibraryAssemblies =
    [
        typeof(BetterAuthDiagnostics).Assembly,
        typeof(BetterAuth.Plugins.Passkey.PasskeyPlugin).Assembly,
        typeof(BetterAuth.Plugins.TwoFactor.TwoFactorPlugin).Assembly,
        typeof(BetterAuth.Plugins.PhoneNumber.PhoneNumberPlugin).Assembly,
        typeof(BetterAuthRedisExtensions).Assembly,
        typeof(BetterAuthMailKitExtensions).Assembly,
        typeof(BetterAuthSqliteExtensions).Assembly,
        typeof(BetterAuthPostgreSqlExtensions).Assembly,
        typeof(BetterAuth.Server.RequestLogging).Assembly,
    ];

    private static List<(string Method, LoggerMessageAttribute Message)> Messages() =>
        LibraryAssemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Message: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Message is not null)
            .Select(m => (m.Method, m.Message!))
            .ToList();

    [Fact]
    public void EveryLogMessage_HasAUniqueNamedEventId_ListedInTheObservabilityDoc()
    {
        var messages = Messages();
        Assert.True(messages.Count >= 40, $"only {messages.Count} log messages found");
        Assert.All(messages, m => Assert.True(m.Message.EventId > 0 && !string.IsNullOrEmpty(m.Message.EventName), m.Method));
        var duplicates = messages.GroupBy(m => m.Message.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        Assert.Empty(duplicates);

        var doc = File.ReadAllText(Path.Combine(TestServices.RepoRoot(), "docs", "OBSERVABILITY.md"));
        var missing = messages.Where(m => !Regex.IsMatch(doc, $@"\b{m.Message.EventId}\b[^\n]*`{m.Message.EventName}`"))
            .Select(m => $"{m.Message.EventId} {m.Message.EventName}");
        Assert.Empty(missing);
    }

    [Fact]
    public void LibrarySources_LogOnlyThroughEventIdMessages()
    {
        var root = TestServices.RepoRoot();
        var direct = new Regex(@"\.Log(Trace|Debug|Information|Warning|Error|Critical)\(");
        var offenders = Directory.EnumerateDirectories(Path.Combine(root, "src"), "BetterAuth*")
            .Where(d => !d.EndsWith("BetterAuth.Server", StringComparison.Ordinal) && !d.EndsWith("BetterAuth.Templates", StringComparison.Ordinal))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => direct.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}: {x.line.Trim()}");
        Assert.Empty(offenders);
    }
}
