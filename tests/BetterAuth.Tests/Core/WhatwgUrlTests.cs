using BetterAuth.Core.Http;

namespace BetterAuth.Tests.Core;

/// <summary>
/// The URL reader against what the WHATWG URL Standard (and so Node's and browsers' <c>new URL</c>) gives for the same
/// text. The generated comparison with Node itself is e2e/tests/security-urls.test.mjs.
/// </summary>
public sealed class WhatwgUrlTests
{
    [Theory]
    [InlineData("https://example.com/x", "https", "example.com", null)]
    [InlineData("HTTPS://EXAMPLE.COM", "https", "example.com", null)]
    [InlineData("http://example.com:80/", "http", "example.com", null)]
    [InlineData("https://example.com:443/", "https", "example.com", null)]
    [InlineData("https://example.com:0443/", "https", "example.com", null)]
    [InlineData("http://example.com:443/", "http", "example.com", 443)]
    [InlineData("https://example.com:80/", "https", "example.com", 80)]
    [InlineData("http://example.com:0/", "http", "example.com", 0)]
    [InlineData("http://example.com:/", "http", "example.com", null)]
    [InlineData("https://example.com./", "https", "example.com.", null)]
    [InlineData("https://ex%41mple.com/", "https", "example.com", null)]
    [InlineData("https://b\u00fccher.example/", "https", "xn--bcher-kva.example", null)]
    [InlineData("https://XN--BCHER-KVA.example/", "https", "xn--bcher-kva.example", null)]
    [InlineData("https://trusted.example.com\u3002evil.com/", "https", "trusted.example.com.evil.com", null)]
    [InlineData("https://\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0ecom/", "https", "example.com", null)]
    [InlineData("https://user:pass@host.example/", "https", "host.example", null)]
    [InlineData("https://a@b@c.example/", "https", "c.example", null)]
    [InlineData("https://trusted.example.com\\@evil.com/", "https", "trusted.example.com", null)]
    [InlineData("https:\\\\evil.com\\x", "https", "evil.com", null)]
    [InlineData("https:evil.com", "https", "evil.com", null)]
    [InlineData("https:////evil.com", "https", "evil.com", null)]
    [InlineData(" \t https://exa\nmple.com/ \n", "https", "example.com", null)]
    [InlineData("\u0000https://example.com\u001f", "https", "example.com", null)]
    [InlineData("http://0x7f.1/", "http", "127.0.0.1", null)]
    [InlineData("http://0177.0.0.1/", "http", "127.0.0.1", null)]
    [InlineData("http://2130706433/", "http", "127.0.0.1", null)]
    [InlineData("http://127.1/", "http", "127.0.0.1", null)]
    [InlineData("http://127.0.0.1./", "http", "127.0.0.1", null)]
    [InlineData("http://0x/", "http", "0.0.0.0", null)]
    [InlineData("http://1.2.3.0x4/", "http", "1.2.3.4", null)]
    [InlineData("http://[0:0::1]:8080/", "http", "[::1]", 8080)]
    [InlineData("http://[::FFFF:127.0.0.1]/", "http", "[::ffff:7f00:1]", null)]
    [InlineData("http://[1:0:0:2::3:0]/", "http", "[1::2:0:0:3:0]", null)]
    [InlineData("http://[1:2:3:4:5:6:7:8]/", "http", "[1:2:3:4:5:6:7:8]", null)]
    [InlineData("myapp://Callback/path", "myapp", "Callback", null)]
    [InlineData("javascript:alert(1)", "javascript", null, null)]
    [InlineData("javascript://example.com/%0aalert(1)", "javascript", "example.com", null)]
    [InlineData("data:text/html,x", "data", null, null)]
    public void Parses_AsBrowsersDo(string input, string scheme, string? host, int? port)
    {
        Assert.True(WhatwgUrl.TryParse(input, out var url), input);
        Assert.Equal(scheme, url.Scheme);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
    }

    [Theory]
    [InlineData("//evil.com")]
    [InlineData("/relative")]
    [InlineData("evil.com")]
    [InlineData("1http://example.com")]
    [InlineData("https://")]
    [InlineData("https://host@")]
    [InlineData("https://:443")]
    [InlineData("https://example.com:65536/")]
    [InlineData("https://example.com:99999999999999/")]
    [InlineData("https://example.com:8a/")]
    [InlineData("https://a%2Fb.com/")]
    [InlineData("https://ex%00ample.com/")]
    [InlineData("https://a b.com/")]
    [InlineData("https://a<b.com/")]
    [InlineData("https://a%b.com/")]
    [InlineData("https://\ufffd.com/")]
    [InlineData("http://1.2.3.4.5/")]
    [InlineData("http://1.2.3.09/")]
    [InlineData("http://256.0.0.1/")]
    [InlineData("http://0x100000000/")]
    [InlineData("http://09/")]
    [InlineData("http://[::1/")]
    [InlineData("http://[::1::2]/")]
    [InlineData("http://[1:2:3:4:5:6:7:8:9]/")]
    [InlineData("http://[::1.2.3.04]/")]
    [InlineData("http://[::1.2.3]/")]
    [InlineData("http://[g::1]/")]
    [InlineData("null")]
    [InlineData("")]
    public void Refuses_WhatBrowsersCannotParse(string input) => Assert.False(WhatwgUrl.TryParse(input, out _), input);

    [Fact]
    public void Origin_IsTheSerializedTuple()
    {
        Assert.True(WhatwgUrl.TryParse("HTTPS://Example.COM:8443/a?b#c", out var url));
        Assert.Equal("https://example.com:8443", url.Origin);
        Assert.True(WhatwgUrl.TryParse("javascript:alert(1)", out var script));
        Assert.Null(script.Origin);
    }

    [Theory]
    [InlineData("https://*.example.com", "https://a.example.com", true)]
    [InlineData("https://*.example.com", "https://a.b.example.com", true)]
    [InlineData("https://*.example.com", "https://example.com", false)]
    [InlineData("https://*.example.com", "http://a.example.com", false)]
    [InlineData("https://*.example.com", "https://a.example.com:8443", false)]
    [InlineData("https://*.example.com", "https://a.example.com.", false)]
    [InlineData("https://*.example.com", "https://a..example.com", false)]
    [InlineData("https://*.example.com:8443", "https://a.example.com:8443", true)]
    [InlineData("https://*.example.com:443", "https://a.example.com", true)]
    [InlineData("*.example.com", "http://a.example.com", true)]
    [InlineData("*.example.com", "https://a.example.com", true)]
    [InlineData("*.example.com", "javascript://a.example.com", false)]
    [InlineData("*.example.com", "myapp://a.example.com", false)]
    [InlineData("https://app-*.example.com", "https://app-12.example.com", true)]
    [InlineData("https://app-*.example.com", "https://app-1.evil.example.com", false)]
    [InlineData("https://app-?.example.com", "https://app-1.example.com", true)]
    [InlineData("https://app-?.example.com", "https://app-12.example.com", false)]
    [InlineData("https://trusted.example.com", "https://trusted.example.com", true)]
    [InlineData("https://trusted.example.com/", "https://TRUSTED.example.com:443", true)]
    [InlineData("https://trusted.example.com", "https://trusted.example.com:8443", false)]
    [InlineData("http://[::1]:3000", "http://[0::1]:3000", true)]
    [InlineData("http://localhost:*", "http://localhost:3000", true)]
    [InlineData("http://localhost:*", "http://localhost", true)]
    [InlineData("http://localhost:*", "https://localhost:3000", false)]
    [InlineData("http://localhost:*", "http://localhost.evil.com:3000", false)]
    [InlineData("myapp://", "myapp://anything", true)]
    [InlineData("myapp://", "otherapp://anything", false)]
    [InlineData("myapp://callback", "myapp://callback.evil", false)]
    [InlineData("myapp://callback", "MyApp://CALLBACK/x", true)]
    [InlineData("myapp:/", "myapp:/auth/callback", true)]
    [InlineData("myapp://host/cb", "myapp://host/cb", true)]
    [InlineData("myapp://host/cb", "myapp://host/cb/extra?x#y", true)]
    [InlineData("myapp://host/cb", "myapp://host/cbx", false)]
    [InlineData("myapp://host/cb", "myapp://host/cb/../evil", false)]
    [InlineData("myapp://host/cb", "myapp://host/cb/%2e%2e/evil", false)]
    [InlineData("myapp://host/cb", "myapp://host/other", false)]
    public void TrustedOriginPattern_MatchesByOrigin(string pattern, string url, bool expected)
    {
        var parsed = TrustedOriginPattern.Parse(pattern);
        Assert.NotNull(parsed);
        Assert.True(WhatwgUrl.TryParse(url, out var u), url);
        Assert.Equal(expected, parsed.Matches(u));
    }

    [Theory]
    [InlineData("javascript:")]
    [InlineData("data:")]
    [InlineData("file:///")]
    [InlineData("ftp://*.example.com")]
    [InlineData("https://*.example.com:99999")]
    [InlineData("https://*.exa/mple.com")]
    [InlineData("not a url")]
    public void TrustedOriginPattern_ThatCanNeverBeTrusted_IsRefused(string pattern) => Assert.Null(TrustedOriginPattern.Parse(pattern));
}
