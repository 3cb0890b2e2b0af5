namespace BetterAuth.Plugins.MultiSession;

/// <summary>Options of the multi-session plugin (plugins/multi-session/index.ts at 1.2.12).</summary>
public sealed class MultiSessionOptions
{
    /// <summary>
    /// How many accounts one browser can hold a device-session cookie for. Default 5. Better Auth 1.2.12 counts the
    /// session cookie being set as one more, so its default lets only 4 accounts in; here the maximum is the number of
    /// accounts, as later Better Auth counts them.
    /// </summary>
    public int MaximumSessions { get; set; } = 5;
}
