using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Anonymous;
using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Plugins.Username;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Plugin columns that are not client input (each field's <c>Input</c> declaration) are never taken from a request
/// body: sign-up and update-user ignore them, an admin's create-user refuses them, and the admin plugin's own
/// columns (role, ban) need the permission their own endpoints need.
/// </summary>
public sealed class ClientSetFieldsTests
{
    private const string Phone = "+14155552671";

    private static Task<AuthTestHost> StartAsync(AdminOptions? admin = null) => AuthTestHost.StartAsync(o =>
    {
        o.Plugins.Add(new AdminPlugin(admin ?? new AdminOptions()));
        o.Plugins.Add(new PhoneNumberPlugin(new PhoneNumberOptions
        {
            SignUpOnVerification = new PhoneSignUpOptions { Enabled = true, TempEmailDomain = "phone.test" },
        }));
        o.Plugins.Add(new TwoFactorPlugin());
        o.Plugins.Add(new AnonymousPlugin());
        o.Plugins.Add(new UsernamePlugin());
    });

    private static Task<T?> ColumnAsync<T>(AuthTestHost host, string email, string column) => host.WithDbAsync(db =>
        db.Users.Where(u => u.Email == email).Select(u => EF.Property<T>(u, column)).FirstOrDefaultAsync());

    [Fact]
    public async Task SignUp_StoresNoPhoneNumber_SoAVictimsLaterVerificationDoesNotLandInTheAttackersAccount()
    {
        await using var host = await StartAsync();
        var attacker = await host.Client().PostAsync("/sign-up/email",
            new { email = "attacker@example.com", password = "password123", name = "Attacker", phoneNumber = Phone });
        Assert.Equal(200, attacker.Status);
        Assert.Null(attacker.Json!["user"]!["phoneNumber"]);
        Assert.Null(await ColumnAsync<string>(host, "attacker@example.com", PhoneNumberPlugin.PhoneNumberField));

        // The number's owner proves it by code and signs in with it: they get an account of their own.
        var victim = host.Client();
        Assert.Equal(200, (await victim.PostAsync("/phone-number/send-otp", new { phoneNumber = Phone })).Status);
        var code = host.Outbox.Last("phone-otp")!.Otp;
        var verified = await victim.PostAsync("/phone-number/verify", new { phoneNumber = Phone, code });
        Assert.Equal(200, verified.Status);
        Assert.NotEqual("attacker@example.com", verified.Json!["user"]!["email"]!.GetValue<string>());
        Assert.NotEqual(attacker.Json!["user"]!["id"]!.GetValue<string>(), verified.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignUp_IgnoresEveryFieldThatIsNotClientInput()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/sign-up/email", new
        {
            email = "eager@example.com",
            password = "password123",
            name = "Eager",
            username = "eager_one",
            role = "admin",
            banned = true,
            banReason = "self",
            twoFactorEnabled = true,
            isAnonymous = true,
            phoneNumber = Phone,
            phoneNumberVerified = true,
        });
        Assert.Equal(200, r.Status);
        Assert.Equal("eager_one", await ColumnAsync<string>(host, "eager@example.com", UsernamePlugin.UsernameField));
        Assert.Equal("user", await ColumnAsync<string>(host, "eager@example.com", AdminFields.Role));
        Assert.Null(await ColumnAsync<bool?>(host, "eager@example.com", AdminFields.Banned));
        Assert.Null(await ColumnAsync<string>(host, "eager@example.com", AdminFields.BanReason));
        Assert.NotEqual(true, await ColumnAsync<bool?>(host, "eager@example.com", "twoFactorEnabled"));
        Assert.Null(await ColumnAsync<bool?>(host, "eager@example.com", AnonymousPlugin.IsAnonymousField));
        Assert.Null(await ColumnAsync<string>(host, "eager@example.com", PhoneNumberPlugin.PhoneNumberField));
        Assert.Null(await ColumnAsync<bool?>(host, "eager@example.com", PhoneNumberPlugin.PhoneNumberVerifiedField));
    }

    [Fact]
    public async Task UpdateUser_IgnoresNonInputFields_RefusesANumber_AndClearsOne()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("upd@example.com");

        var r = await client.PostAsync("/update-user", new
        {
            name = "Renamed",
            role = "admin",
            banned = true,
            twoFactorEnabled = true,
            isAnonymous = true,
            phoneNumberVerified = true,
        });
        Assert.Equal(200, r.Status);
        Assert.Equal("Renamed", await ColumnAsync<string>(host, "upd@example.com", "Name"));
        Assert.Equal("user", await ColumnAsync<string>(host, "upd@example.com", AdminFields.Role));
        Assert.Null(await ColumnAsync<bool?>(host, "upd@example.com", AdminFields.Banned));
        Assert.NotEqual(true, await ColumnAsync<bool?>(host, "upd@example.com", "twoFactorEnabled"));
        Assert.Null(await ColumnAsync<bool?>(host, "upd@example.com", AnonymousPlugin.IsAnonymousField));
        Assert.Null(await ColumnAsync<bool?>(host, "upd@example.com", PhoneNumberPlugin.PhoneNumberVerifiedField));

        var set = await client.PostAsync("/update-user", new { phoneNumber = Phone });
        Assert.Equal(400, set.Status);
        Assert.Null(await ColumnAsync<string>(host, "upd@example.com", PhoneNumberPlugin.PhoneNumberField));

        // A number proven by code can be dropped again by its holder (a null clears; nothing else is taken).
        Assert.Equal(200, (await client.PostAsync("/phone-number/send-otp", new { phoneNumber = Phone })).Status);
        var code = host.Outbox.Last("phone-otp")!.Otp;
        Assert.Equal(200, (await client.PostAsync("/phone-number/verify", new { phoneNumber = Phone, code, updatePhoneNumber = true })).Status);
        Assert.Equal(Phone, await ColumnAsync<string>(host, "upd@example.com", PhoneNumberPlugin.PhoneNumberField));
        Assert.Equal(200, (await client.PostAsync("/update-user", new { phoneNumber = (string?)null })).Status);
        Assert.Null(await ColumnAsync<string>(host, "upd@example.com", PhoneNumberPlugin.PhoneNumberField));
        Assert.Equal(false, await ColumnAsync<bool?>(host, "upd@example.com", PhoneNumberPlugin.PhoneNumberVerifiedField));
    }

    [Theory]
    [InlineData("phoneNumber", Phone)]
    [InlineData("phoneNumberVerified", true)]
    [InlineData("twoFactorEnabled", true)]
    [InlineData("isAnonymous", true)]
    public async Task AdminCreateUser_RefusesFieldsOnlyTheirPluginsFlowsSet(string field, object value)
    {
        await using var host = await StartAsync();
        var admin = await WithRoleAsync(host, "root@example.com", "admin");

        var r = await admin.PostAsync("/admin/create-user", new
        {
            email = "made@example.com",
            password = "password123",
            name = "Made",
            data = new Dictionary<string, object> { [field] = value },
        });
        Assert.Equal(400, r.Status);
        Assert.Equal("FIELD_NOT_ALLOWED", r.Code);
        Assert.Equal($"{field} is not allowed to be set", r.Json!["message"]!.GetValue<string>());
        Assert.Null(await ColumnAsync<string>(host, "made@example.com", "Id"));
    }

    [Fact]
    public async Task AdminCreateUser_RoleAndBanFields_NeedTheirOwnPermissions()
    {
        var roles = new AdminOptions
        {
            Roles = new()
            {
                ["admin"] = new() { ["user"] = ["create", "list", "set-role", "ban", "impersonate", "delete", "set-password"], ["session"] = ["list", "revoke", "delete"] },
                ["creator"] = new() { ["user"] = ["create"] },
                ["user"] = new(),
            },
        };
        await using var host = await StartAsync(roles);
        var creator = await WithRoleAsync(host, "creator@example.com", "creator");
        var root = await WithRoleAsync(host, "root@example.com", "admin");

        var asAdmin = await creator.PostAsync("/admin/create-user", new { email = "x1@example.com", password = "password123", name = "X", role = "admin" });
        Assert.Equal(403, asAdmin.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE", asAdmin.Code);
        var viaData = await creator.PostAsync("/admin/create-user", new { email = "x2@example.com", password = "password123", name = "X", data = new { role = "admin" } });
        Assert.Equal(403, viaData.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE", viaData.Code);
        var banned = await creator.PostAsync("/admin/create-user", new { email = "x3@example.com", password = "password123", name = "X", data = new { banned = true } });
        Assert.Equal(403, banned.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_BAN_USERS", banned.Code);
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync(u => EF.Functions.Like(u.Email, "x%"))));

        var plain = await creator.PostAsync("/admin/create-user", new { email = "x4@example.com", password = "password123", name = "X" });
        Assert.Equal(200, plain.Status);
        Assert.Equal("user", plain.Json!["user"]!["role"]!.GetValue<string>());

        var full = await root.PostAsync("/admin/create-user", new
        {
            email = "x5@example.com",
            password = "password123",
            name = "X",
            data = new { role = "admin", banned = true, banReason = "spam", emailVerified = true },
        });
        Assert.Equal(200, full.Status);
        Assert.Equal("admin", await ColumnAsync<string>(host, "x5@example.com", AdminFields.Role));
        Assert.Equal(true, await ColumnAsync<bool?>(host, "x5@example.com", AdminFields.Banned));
        Assert.Equal("spam", await ColumnAsync<string>(host, "x5@example.com", AdminFields.BanReason));
        Assert.True(await ColumnAsync<bool>(host, "x5@example.com", "EmailVerified"));
    }

    /// <summary>A signed-in user whose role is written straight into the row.</summary>
    private static async Task<TestClient> WithRoleAsync(AuthTestHost host, string email, string role)
    {
        var client = host.Client();
        var id = (await client.SignUpAsync(email))["user"]!["id"]!.GetValue<string>();
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, AdminFields.Role), role)));
        return client;
    }
}
