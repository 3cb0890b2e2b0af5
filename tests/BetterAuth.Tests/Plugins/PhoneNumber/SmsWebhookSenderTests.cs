using System.Net;
using System.Text.Json;
using BetterAuth.Core.Messaging;
using BetterAuth.Plugins.PhoneNumber;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

public sealed class SmsWebhookSenderTests
{
    /// <summary>Records each request (with its body read eagerly) and answers with a fixed status.</summary>
    private sealed class StubHandler(HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<(HttpRequestMessage Request, string Body)> Calls { get; } = new();

        /// <summary>Remote senders run from the messenger's background queue: wait for the first call.</summary>
        public Task WaitForCallAsync() => _called.Task.WaitAsync(TimeSpan.FromSeconds(10));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
            lock (Calls) Calls.Add((request, body));
            _called.TrySetResult();
            return new HttpResponseMessage(status);
        }
    }

    private sealed class StubFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static SmsWebhookSender Sender(StubHandler handler, string? secret = "s3cret") =>
        new(new StubFactory(handler), new SmsWebhookOptions { Url = "https://sms.example.test/hook", Secret = secret }, NullLogger<SmsWebhookSender>.Instance);

    [Fact]
    public async Task Send_PostsToBodyKindWithBearerSecret()
    {
        var handler = new StubHandler();
        await Sender(handler).SendAsync(new AuthMessage("phone-otp", "+14155552671") { Otp = "123456", Channel = AuthMessageChannel.Sms });
        var (request, body) = Assert.Single(handler.Calls);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://sms.example.test/hook", request.RequestUri!.ToString());
        Assert.Equal("Bearer s3cret", request.Headers.Authorization!.ToString());
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("+14155552671", json.RootElement.GetProperty("to").GetString());
        Assert.Equal("Your verification code is 123456", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("phone-otp", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Send_SkipsMail_AndOmitsAuthorizationWithoutSecret()
    {
        var handler = new StubHandler();
        var sender = Sender(handler, secret: null);
        await sender.SendAsync(new AuthMessage("email-otp:sign-in", "a@example.com") { Otp = "1" });
        await sender.SendAsync(new AuthMessage("two-factor-otp", "no-at-sign") { Otp = "2" }); // the channel decides, not the address
        Assert.Empty(handler.Calls);
        await sender.SendAsync(new AuthMessage("phone-reset-password-otp", "+14155552671") { Otp = "654321", Channel = AuthMessageChannel.Sms });
        var (request, body) = Assert.Single(handler.Calls);
        Assert.Null(request.Headers.Authorization);
        Assert.Contains("Your password reset code is 654321", body);
    }

    [Fact]
    public async Task Send_Non2xxAnswer_Throws()
    {
        var sender = Sender(new StubHandler(HttpStatusCode.BadGateway));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(new AuthMessage("phone-otp", "+14155552671") { Otp = "1", Channel = AuthMessageChannel.Sms }));
        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
    }

    [Fact]
    public void Sender_IsARemoteSender_DeliveredFromTheBackgroundQueue()
    {
        IAuthMessageSender sender = Sender(new StubHandler());
        Assert.True(sender.DeliversInBackground);
    }

    [Fact]
    public void AddSmsWebhookSender_RejectsAMissingOrNonHttpUrl()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSmsWebhookSender(new SmsWebhookOptions()));
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSmsWebhookSender(new SmsWebhookOptions { Url = "ftp://x/y" }));
    }

    [Fact]
    public async Task Plugin_RegistersWebhookOnlyWhenConfigured_AndTextsCodesThroughIt()
    {
        var handler = new StubHandler();
        await using (var host = await PhoneTestHost.StartAsync(
            o => o.SmsWebhook = new SmsWebhookOptions { Url = "https://sms.example.test/hook", Secret = "k" },
            withSender: false,
            services: s => s.AddHttpClient(SmsWebhookSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler)))
        {
            var r = await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone });
            Assert.Equal(200, r.Status);
            await handler.WaitForCallAsync();
            var (_, body) = Assert.Single(handler.Calls);
            Assert.Matches("\"body\":\"Your verification code is [0-9]{6}\"", body);
        }

        await using var plain = await PhoneTestHost.StartAsync(withSender: false);
        Assert.Equal(501, (await plain.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone })).Status);
    }
}
