using System.Net.Http.Headers;
using System.Text;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Regression tests for what the bad-input fuzz (e2e/tests/security-fuzz.test.mjs) found answering 500, plus a few
/// representative malformed bodies across endpoints: each is a 4xx in Better Auth's error shape.
/// </summary>
public sealed class MalformedInputTests
{
    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Theory]
    [InlineData("/sign-up/email", """{"email":"s1@example.com","password":"password123","name":"\ud800"}""")]
    [InlineData("/sign-up/email", """{"email":"s2@example.com","password":"password123","name":"x\udc00y"}""")]
    [InlineData("/sign-in/email", """{"email":"a@example.com","password":"password123","callbackURL":"x\udc00y"}""")]
    [InlineData("/forget-password", """{"email":"a@example.com","redirectTo":"\ud83d"}""")]
    [InlineData("/send-verification-email", """{"email":"a@example.com","callbackURL":"\ud800"}""")]
    [InlineData("/sign-in/email", """{"\udfff":"key","email":"a@example.com","password":"password123"}""")]
    public async Task Body_WithEscapedLoneSurrogate_Returns400ValidationError(string path, string json)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().SendAsync(HttpMethod.Post, path, Json(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
        Assert.Equal("Invalid body parameters", r.Json!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Body_WithInvalidUtf8_IsReadWithReplacementCharacters()
    {
        await using var host = await AuthTestHost.StartAsync();
        var body = Concat("""{"email":"utf8@example.com","password":"password123","name":"A"""u8.ToArray(), [0xC0, 0xAF, 0xED, 0xA0, 0x80], "\"}"u8.ToArray());
        var r = await host.Client().SendAsync(HttpMethod.Post, "/sign-up/email", Json(body));
        Assert.Equal(200, r.Status);
        // Each invalid byte sequence becomes U+FFFD, as the reference's fetch Request decodes a body.
        Assert.StartsWith("A\uFFFD", r.Json!["user"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain(r.Json!["user"]!["name"]!.GetValue<string>(), c => char.IsSurrogate(c));
    }

    /// <summary>
    /// Invalid UTF-8 inside a string is read with U+FFFD (as the reference's fetch Request decodes it), so each body
    /// gets the answer its decoded text earns: an unknown email's sign-in is refused, a reset request is answered.
    /// </summary>
    [Theory]
    [InlineData("/sign-in/email", "invalid UTF-8 in the password", new byte[] { 0xFF, 0xFE }, 401, "INVALID_EMAIL_OR_PASSWORD")]
    [InlineData("/forget-password", "a truncated multi-byte sequence", new byte[] { 0xE2, 0x82 }, 200, null)]
    public async Task Body_WithInvalidUtf8_IsAnsweredAsItsDecodedText(string path, string what, byte[] bytes, int status, string? code)
    {
        await using var host = await AuthTestHost.StartAsync();
        var body = Concat("""{"email":"nobody@example.com","password":"x"""u8.ToArray(), bytes, "\",\"redirectTo\":\"/r\"}"u8.ToArray());
        var r = await host.Client().SendAsync(HttpMethod.Post, path, Json(body));
        Assert.True((status, code) == (r.Status, r.Code), $"{what}: {r.Status} {r.Text}");
        if (status == 200) Assert.True(r.Json!["status"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ChunkedBody_OverTheLimit_Returns413()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.MaxBodyBytes = 1024);
        var content = new StreamContent(new MemoryStream(new byte[4096]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var r = await host.Client().SendAsync(HttpMethod.Post, "/sign-in/email", content, m => m.Headers.TransferEncodingChunked = true);
        Assert.Equal(413, r.Status);
        Assert.Equal("REQUEST_BODY_IS_TOO_LARGE", r.Code);
    }

    /// <summary>Kestrel throws BadHttpRequestException from the body stream when a chunked body passes its own limit.</summary>
    [Theory]
    [InlineData(StatusCodes.Status413PayloadTooLarge, 413, "REQUEST_BODY_IS_TOO_LARGE")]
    [InlineData(StatusCodes.Status400BadRequest, 400, "VALIDATION_ERROR")]
    public async Task ServerRefusingTheBodyMidRead_AnswersInBetterAuthShape(int serverStatus, int status, string code)
    {
        await using var host = await AuthTestHost.StartAsync(services: s =>
            s.AddSingleton<IStartupFilter>(new RefusingBodyFilter(serverStatus)));
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "a@example.com", password = "password123" });
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
    }

    [Theory]
    [InlineData("/sign-up/email", "{\"email\":")]
    [InlineData("/sign-in/email", "[{\"email\":\"a@example.com\",\"password\":\"password123\"}]")]
    [InlineData("/sign-in/email", "{\"email\":[\"a@example.com\"],\"password\":\"password123\"}")]
    [InlineData("/forget-password", "{\"email\":{\"$gt\":\"\"}}")]
    [InlineData("/request-password-reset", "null")]
    [InlineData("/reset-password", "{\"newPassword\":12345678,\"token\":\"t\"}")]
    [InlineData("/sign-in/username", "{\"username\":null,\"password\":\"password123\"}")]
    [InlineData("/phone-number/send-otp", "{\"phoneNumber\":true}")]
    [InlineData("/email-otp/send-verification-otp", "{\"email\":\"a@example.com\",\"type\":[]}")]
    [InlineData("/sign-in/email", "{\"email\":\"a@example.com\",\"password\":\"password123\"}}")]
    public async Task MalformedBody_Returns400ValidationError(string path, string body)
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.AddRange([
            new BetterAuth.Plugins.Username.UsernamePlugin(new()),
            new BetterAuth.Plugins.PhoneNumber.PhoneNumberPlugin(BetterAuth.Plugins.PhoneNumber.PhoneNumberOptions.StandaloneServerDefaults()),
            new BetterAuth.Plugins.EmailOtp.EmailOtpPlugin(new()),
        ]));
        var r = await host.Client().PostRawAsync(path, body);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    private sealed class RefusingBodyFilter(int status) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                http.Request.Body = new RefusingStream(status);
                return nextMiddleware(http);
            });
            next(app);
        };
    }

    private sealed class RefusingStream(int status) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new BadHttpRequestException("refused", status);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new BadHttpRequestException("refused", status);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
