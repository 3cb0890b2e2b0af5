using System.Collections.Concurrent;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Tests.Plugins.Admin;

/// <summary>
/// One host holding 10,000 generated users (plus the admin who queries), shared by the list-users tests.
/// User i: email user{i:D5}@alpha.test (even i) or @beta.test (odd); name "Name {i % 100}"; emailVerified when
/// i % 3 == 0; role "admin" when i % 10 == 0, else "user"; banned when i % 7 == 0 (else null); createdAt = Base + i s.
/// </summary>
public sealed class TenThousandUsers : IAsyncLifetime
{
    public const int Count = 10_000;
    public AuthTestHost Host { get; private set; } = null!;
    public TestClient Admin { get; private set; } = null!;
    public DateTime Base { get; private set; }
    public SqlCapture Sql { get; } = new();

    public async Task InitializeAsync()
    {
        // SQLite on every run: these expectations are SQLite's (LIKE ignores ASCII case there, as in Better Auth on
        // SQLite; on PostgreSQL LIKE is case-sensitive, as in Better Auth on PostgreSQL) and so is the SQL text.
        Host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AdminPlugin()), s => s.AddLogging(b => b.AddProvider(Sql).AddFilter<SqlCapture>(SqlCapture.Category, LogLevel.Information)),
            storage: TestStorage.Sqlite);
        Base = Host.Runtime.Now.AddDays(-1);
        await Host.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < Count; i++)
            {
                var u = new User
                {
                    Id = $"id-{i:D5}",
                    Email = $"user{i:D5}@{(i % 2 == 0 ? "alpha" : "beta")}.test",
                    Name = $"Name {i % 100}",
                    EmailVerified = i % 3 == 0,
                    CreatedAt = Base.AddSeconds(i),
                    UpdatedAt = Base.AddSeconds(i),
                };
                u["role"] = i % 10 == 0 ? "admin" : "user";
                u["banned"] = i % 7 == 0 ? true : null;
                db.Users.Add(u);
            }
            // One generated user (role "user") can sign in, to be the plain caller.
            var hash = await new FastTestHasher().HashAsync("password123");
            db.Accounts.Add(new Account { Id = "acc-00001", AccountId = "id-00001", ProviderId = Account.CredentialProvider, UserId = "id-00001", Password = hash, CreatedAt = Base, UpdatedAt = Base });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            db.ChangeTracker.Clear();
            return 0;
        });
        Admin = Host.Client();
        var id = (await Admin.SignUpAsync("admin@example.com"))["user"]!["id"]!.GetValue<string>();
        await Host.WithDbAsync(db => Task.FromResult(db.Database.ExecuteSqlRaw("UPDATE \"user\" SET \"role\" = 'admin' WHERE \"id\" = {0}", id)));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Records the SQL EF Core runs, to show list-users is answered by the database, a page at a time.</summary>
public sealed class SqlCapture : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> Commands { get; } = new();
    public const string Category = "Microsoft.EntityFrameworkCore.Database.Command";
    public ILogger CreateLogger(string categoryName) => categoryName == Category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Commands.Enqueue(formatter(state, exception));
    public void Dispose() { }
}

public sealed class ListUsersTests(TenThousandUsers data) : IClassFixture<TenThousandUsers>
{
    private const int All = TenThousandUsers.Count + 1; // the generated users and the admin

    private async Task<(int Total, List<string> Emails, System.Text.Json.Nodes.JsonObject Json)> List(string query)
    {
        var r = await data.Admin.GetAsync("/admin/list-users" + query);
        Assert.True(r.Status == 200, query + " → " + r.Status + " " + r.Text);
        var json = r.Json!.AsObject();
        var emails = json["users"]!.AsArray().Select(u => u!["email"]!.GetValue<string>()).ToList();
        return (json["total"]!.GetValue<int>(), emails, json);
    }

    [Fact]
    public async Task Default_IsTheFirst100_WithTheTotal_AndNoEchoedPaging()
    {
        var (total, emails, json) = await List("");
        Assert.Equal(All, total);
        Assert.Equal(100, emails.Count);
        Assert.Equal("user00000@alpha.test", emails[0]);
        Assert.False(json.ContainsKey("limit") || json.ContainsKey("offset"));
        Assert.Equal(["users", "total"], json.Select(p => p.Key));
        // Zero, negative and non-numeric limits are "no limit given": the default page.
        foreach (var q in new[] { "?limit=0", "?limit=-5", "?limit=abc" })
        {
            var (t, e, j) = await List(q);
            Assert.Equal((All, 100, false), (t, e.Count, j.ContainsKey("limit")));
        }
    }

    [Fact]
    public async Task LimitAndOffset_PageThroughEveryUserOnce()
    {
        var (total, emails, json) = await List("?limit=25&offset=50");
        Assert.Equal(All, total);
        Assert.Equal(25, emails.Count);
        Assert.Equal("user00050@alpha.test", emails[0]);
        Assert.Equal(25, json["limit"]!.GetValue<int>());
        Assert.Equal(50, json["offset"]!.GetValue<int>());

        var seen = new HashSet<string>();
        for (var offset = 0; offset < All; offset += 2000)
            foreach (var e in (await List($"?limit=2000&offset={offset}")).Emails) Assert.True(seen.Add(e), e);
        Assert.Equal(All, seen.Count);
    }

    [Theory]
    [InlineData("?searchValue=user0012", 10)]                                               // contains, on email by default: user00120..29
    [InlineData("?searchValue=USER0012", 10)]                                               // LIKE ignores ASCII case
    [InlineData("?searchField=name&searchOperator=starts_with&searchValue=Name%209", 1100)] // "Name 9", "Name 90".."Name 99"
    [InlineData("?searchOperator=ends_with&searchValue=beta.test", 5000)]
    [InlineData("?filterField=emailVerified&filterValue=true", 3334)]
    [InlineData("?filterField=emailVerified&filterValue=false", 6667)]
    [InlineData("?filterField=role&filterValue=admin", 1001)]
    [InlineData("?filterField=role&filterOperator=ne&filterValue=admin", 9000)]
    [InlineData("?filterField=role&filterOperator=contains&filterValue=dmi", 1001)]
    [InlineData("?filterField=banned&filterValue=true", 1429)]
    [InlineData("?filterField=banned&filterOperator=ne&filterValue=true", 0)]               // NULL is never "not equal"
    [InlineData("?filterField=name&filterOperator=lt&filterValue=Name%201", 100)]           // only "Name 0" sorts before
    [InlineData("?filterField=id&filterValue=id-04242", 1)]
    [InlineData("?searchValue=alpha&filterField=role&filterValue=admin", 1000)]
    public async Task SearchAndFilter_CountInSql(string query, int expected)
    {
        var (total, emails, _) = await List(query);
        Assert.Equal(expected, total);
        Assert.Equal(Math.Min(expected, 100), emails.Count);
    }

    [Fact]
    public async Task DateFiltersAndSorting_Combine()
    {
        var at = Uri.EscapeDataString(JsDate.Format(data.Base.AddSeconds(9990)));
        Assert.Equal(11, (await List($"?filterField=createdAt&filterOperator=gte&filterValue={at}")).Total); // 9990..9999 and the admin
        Assert.Equal(9990, (await List($"?filterField=createdAt&filterOperator=lt&filterValue={at}")).Total);
        Assert.Equal(9991, (await List($"?filterField=createdAt&filterOperator=lte&filterValue={at}")).Total);
        Assert.Equal(10, (await List($"?filterField=createdAt&filterOperator=gt&filterValue={at}")).Total);

        var (_, desc, _) = await List("?sortBy=email&sortDirection=desc&limit=3");
        Assert.Equal(["user09999@beta.test", "user09998@alpha.test", "user09997@beta.test"], desc);
        Assert.Equal("admin@example.com", (await List("?sortBy=email&limit=1")).Emails.Single());

        var (total, page, json) = await List("?searchValue=alpha&filterField=role&filterValue=admin&sortBy=createdAt&sortDirection=desc&limit=5&offset=5");
        Assert.Equal(1000, total);
        Assert.Equal(["user09940@alpha.test", "user09930@alpha.test", "user09920@alpha.test", "user09910@alpha.test", "user09900@alpha.test"], page);
        Assert.Equal(5, json["offset"]!.GetValue<int>());
    }

    [Fact]
    public async Task EachRequest_IsOnePageQueryAndOneCount()
    {
        while (data.Sql.Commands.TryDequeue(out _)) { }
        await List("?searchValue=user00&filterField=role&filterValue=user&sortBy=name&limit=10&offset=20");
        var sql = data.Sql.Commands.Where(c => c.Contains("FROM \"user\"")).ToList();
        Assert.Contains(sql, c => c.Contains("LIMIT") && c.Contains("OFFSET") && c.Contains("ORDER BY") && c.Contains("LIKE"));
        Assert.Contains(sql, c => c.Contains("COUNT(*)"));
        Assert.DoesNotContain(sql, c => c.Contains("'user00") || c.Contains("'%user00%'")); // values travel as parameters
    }

    [Theory]
    [InlineData("?filterField=password&filterValue=x")]
    [InlineData("?sortBy=nope")]
    [InlineData("?searchField=role&searchValue=x")]
    [InlineData("?searchOperator=like&searchValue=x")]
    [InlineData("?filterOperator=between&filterValue=x")]
    [InlineData("?sortBy=email&sortDirection=up")]
    [InlineData("?filterField=emailVerified&filterValue=maybe")]
    [InlineData("?filterField=emailVerified&filterOperator=lt&filterValue=true")]
    [InlineData("?filterField=createdAt&filterValue=not-a-date")]
    [InlineData("?filterField=createdAt&filterOperator=contains&filterValue=2026")]
    [InlineData("?limit=1&limit=2")]
    public async Task BadQueries_Are400ValidationErrors(string query)
    {
        var r = await data.Admin.GetAsync("/admin/list-users" + query);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
        Assert.Equal("Invalid query parameters", r.Json!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task PlainUsers_AreForbidden_AndNoSessionIs401()
    {
        var user = data.Host.Client();
        await user.SignInAsync("user00001@beta.test");
        var r = await user.GetAsync("/admin/list-users");
        Assert.Equal(403, r.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_LIST_USERS", r.Code);
        Assert.Equal(401, (await data.Host.Client().GetAsync("/admin/list-users")).Status);
    }
}
