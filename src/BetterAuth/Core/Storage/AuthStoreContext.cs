using BetterAuth.Core.Events;
using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.Storage;

/// <summary>
/// Everything an <see cref="AuthStore"/> call needs to know about its caller, passed explicitly instead of read from an
/// HTTP request: the client address and user agent stamped on new sessions, the operation named in metrics and the
/// security log, the token that stops reads, the lifecycle hooks to run and where raised events wait for delivery.
/// A request builds one from itself (<see cref="AuthContext.Store"/>); a background job, a command-line tool or a host
/// building its own flow creates one with the public constructor, uses <see cref="Store"/>, then calls
/// <see cref="DeliverEventsAsync"/>. Lifecycle hooks receive it; <see cref="Request"/> is the request when there is one.
/// </summary>
public sealed class AuthStoreContext
{
    private readonly Func<AuthDbContext>? _db;
    private readonly IServiceProvider? _services;
    private readonly Func<string?>? _ipSource;
    private readonly Func<string>? _userAgentSource;
    private AuthDbContext? _dbValue;
    private AuthStore? _store;
    private IReadOnlyList<IAuthLifecycle>? _lifecycles;
    private string? _ip;
    private bool _ipRead;
    private string? _userAgent;
    private List<AuthEvent>? _events;
    private List<Session>? _createdSessions;
    private HashSet<string>? _deletedTokens;

    /// <summary>
    /// A store context for work outside a request. <paramref name="services"/> is the DI scope the work runs in: the
    /// hosted <see cref="IAuthLifecycle"/> hooks and the event handlers are resolved from it. <paramref name="operation"/>
    /// names the work in metrics and the security log (e.g. <c>nightly-cleanup</c>).
    /// </summary>
    public AuthStoreContext(AuthRuntime auth, AuthDbContext db, IServiceProvider services, string operation)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        Auth = auth;
        _dbValue = db;
        _services = services;
        Operation = operation;
    }

    /// <summary>
    /// A request's store context (built by <see cref="AuthContext.StoreContext"/>): the database, address and user agent
    /// are only read when a call needs them.
    /// </summary>
    internal AuthStoreContext(AuthRuntime auth, AuthContext request, Func<AuthDbContext> db, IServiceProvider? services,
        Func<string?> ipAddress, Func<string> userAgent, string operation, CancellationToken aborted)
    {
        Auth = auth;
        Request = request;
        _db = db;
        _services = services;
        _ipSource = ipAddress;
        _userAgentSource = userAgent;
        Operation = operation;
        Aborted = aborted;
    }

    /// <summary>The instance's configuration and services.</summary>
    public AuthRuntime Auth { get; }
    /// <summary>The database context the calls run on.</summary>
    public AuthDbContext Db => _dbValue ??= _db!();
    /// <summary>Better Auth's data operations for this caller.</summary>
    public AuthStore Store => _store ??= new AuthStore(this);
    /// <summary>The request being served, or null for work outside a request.</summary>
    public AuthContext? Request { get; }
    /// <summary>What the work is called in metrics and the security log: the operation id of a request's endpoint.</summary>
    public string Operation { get; }
    /// <summary>Stops reads (a request's client went away); writes are never cut short by it, so nothing is left half-done.</summary>
    public CancellationToken Aborted { get; init; }

    /// <summary>The client's IP address, stamped on sessions created (unless IP tracking is off); null when unknown.</summary>
    public string? IpAddress
    {
        get
        {
            if (!_ipRead) (_ip, _ipRead) = (_ipSource?.Invoke(), true);
            return _ip;
        }
        init => (_ip, _ipRead) = (value, true);
    }

    /// <summary>The client's user agent, stamped on sessions created; empty when unknown.</summary>
    public string UserAgent
    {
        get => _userAgent ??= _userAgentSource?.Invoke() ?? "";
        init => _userAgent = value;
    }

    /// <summary>The plugins' lifecycle hooks, then those registered as <see cref="IAuthLifecycle"/> services.</summary>
    internal IReadOnlyList<IAuthLifecycle> Lifecycles => _lifecycles ??= CombineLifecycles();

    private List<IAuthLifecycle> CombineLifecycles()
    {
        var hosted = _services?.GetServices<IAuthLifecycle>().ToArray() ?? [];
        return hosted.Length == 0 ? Auth.Registry.Lifecycles : [.. Auth.Registry.Lifecycles, .. hosted];
    }

    // ---- events -----------------------------------------------------------------------------------

    /// <summary>Queues an event for the host's handlers; a request delivers them once its work is done.</summary>
    public void Raise(AuthEvent e) => (_events ??= new()).Add(e);

    /// <summary>
    /// Delivers the events raised so far to the <see cref="IAuthEventHandler{TEvent}"/> services of this context's scope
    /// (work outside a request calls it once its changes are committed; a request's are delivered by the pipeline).
    /// </summary>
    public Task DeliverEventsAsync(CancellationToken ct = default) =>
        _services is null ? Task.CompletedTask : AuthEventDispatch.DispatchAsync(TakePendingEvents(), _services, Auth.Logger, ct);

    internal bool HasPendingEvents => _events is not null || _createdSessions is not null;

    internal List<AuthEvent> TakePendingEvents()
    {
        var events = _events ?? new List<AuthEvent>();
        _events = null;
        return events;
    }

    /// <summary>How many events of a type are waiting for delivery.</summary>
    internal int PendingEvents<TEvent>() where TEvent : AuthEvent => _events?.OfType<TEvent>().Count() ?? 0;

    // ---- the sessions this caller created and deleted ---------------------------------------------

    internal IReadOnlyList<Session> CreatedSessions => (IReadOnlyList<Session>?)_createdSessions ?? [];

    internal void NoteSessionCreated(Session session) => (_createdSessions ??= new()).Add(session);

    /// <summary>
    /// Remembers that sessions this caller created were deleted again; returns how many, so they are not counted as
    /// revoked (a two-factor sign-in's first session, a password change's replaced one).
    /// </summary>
    internal int NoteSessionsDeleted(Func<Session, bool> deleted)
    {
        if (_createdSessions is null) return 0;
        var count = 0;
        foreach (var s in _createdSessions)
            if (deleted(s) && (_deletedTokens ??= new(StringComparer.Ordinal)).Add(s.Token)) count++;
        return count;
    }

    internal bool WasSessionDeleted(Session session) => _deletedTokens?.Contains(session.Token) == true;

    internal void ClearSessionTracking()
    {
        _createdSessions = null;
        _deletedTokens = null;
    }
}
