using BetterAuth.Server;
using Microsoft.AspNetCore.Http;

namespace BetterAuth.Tests.Server;

/// <summary>The standalone server's request log line: URL secrets are replaced (e2e/tests/security-logs.test.mjs scans a real log).</summary>
public sealed class RequestLoggingTests
{
    [Theory]
    [InlineData("/api/auth/reset-password/AbC123xyz", "?callbackURL=%2Freset", "/api/auth/reset-password/***?callbackURL=%2Freset")]
    [InlineData("/api/auth/verify-email", "?token=eyJ.abc.def&callbackURL=/done", "/api/auth/verify-email?token=***&callbackURL=/done")]
    [InlineData("/api/auth/delete-user/callback", "?token=t0k3n", "/api/auth/delete-user/callback?token=***")]
    [InlineData("/api/auth/callback/github", "?code=c0de&state=st4te", "/api/auth/callback/github?code=***&state=***")]
    [InlineData("/reset", "?TOKEN=x&%74oken=y&other=1", "/reset?TOKEN=***&%74oken=***&other=1")]
    [InlineData("/api/auth/get-session", "", "/api/auth/get-session")]
    public void Redact_ReplacesSecretsInPathAndQuery(string path, string query, string expected) =>
        Assert.Equal(expected, RequestLogging.Redact(new PathString(path), new QueryString(query.Length == 0 ? null : query)));
}
