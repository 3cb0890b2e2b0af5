using System.Collections.Concurrent;
using BetterAuth.Core.Messaging;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Tests.Core.Messaging;

/// <summary>A remote sender (delivers in the background, like SMTP) whose behaviour a test sets.</summary>
public sealed class RemoteTestSender : IAuthMessageSender
{
    public ConcurrentQueue<AuthMessage> Sent { get; } = new();
    private int _calls;
    public int Calls => _calls;
    /// <summary>Runs before a message counts as sent; throw to fail the delivery.</summary>
    public Func<AuthMessage, CancellationToken, Task>? Before { get; set; }

    public async Task SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _calls);
        if (Before is { } before) await before(message, ct);
        Sent.Enqueue(message);
    }
}

/// <summary>Keeps every log entry (category, event, message) of a host.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Event, string Message)> Entries { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}

internal static class OutboxTestKit
{
    /// <summary>A host whose only sender is <paramref name="remote"/>; its dispatcher is driven by the test (<see cref="Dispatcher"/>).</summary>
    public static Task<AuthTestHost> StartAsync(RemoteTestSender remote, Action<BetterAuthOptions>? configure = null, CapturedLogs? logs = null,
        AuthTestHost? sharing = null, bool dispatch = false) =>
        AuthTestHost.StartAsync(o =>
        {
            o.Messages.Dispatch = dispatch;
            o.EmailVerification.SendOnSignUp = true;
            if (sharing is not null)
            {
                o.Database.Provider = sharing.Runtime.Options.Database.Provider;
                o.Database.ConnectionString = sharing.Runtime.Options.Database.ConnectionString;
                o.SecondaryStorage.KeyPrefix = sharing.Runtime.Options.SecondaryStorage.KeyPrefix;
            }
            configure?.Invoke(o);
        }, services =>
        {
            services.AddSingleton<IAuthMessageSender>(remote);
            if (logs is not null) services.AddSingleton<ILoggerProvider>(logs);
        }, withSender: false);

    public static MessageDispatcher Dispatcher(AuthTestHost host) => host.Services.GetRequiredService<MessageDispatcher>();

    public static Task<List<OutboxRow>> RowsAsync(AuthTestHost host) =>
        host.WithDbAsync(db => db.Set<OutboxRow>().AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync());
}
