using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

public sealed class PhoneNumberUpdateTests
{
    [Fact]
    public async Task UpdatePhoneNumber_SignedInUserTakesTheVerifiedNumber()
    {
        await using var host = await PhoneTestHost.StartAsync();
        var client = host.Client();
        var signUp = await client.SignUpAsync("u@example.com");
        var code = await host.SendOtpAsync(client: client);
        var r = await client.PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, updatePhoneNumber = true });
        Assert.Equal(200, r.Status);
        Assert.Equal(signUp["token"]!.GetValue<string>(), r.Json!["token"]!.GetValue<string>());
        Assert.Equal(PhoneTestHost.Phone, r.Json!["user"]!["phoneNumber"]!.GetValue<string>());
        Assert.True(r.Json!["user"]!["phoneNumberVerified"]!.GetValue<bool>());
        Assert.Equal(PhoneTestHost.Phone, (await client.GetAsync("/get-session")).Json!["user"]!["phoneNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdatePhoneNumber_WithoutSession_Is401AfterUsingTheCode()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var code = await host.SendOtpAsync();
        var r = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, updatePhoneNumber = true });
        Assert.Equal(401, r.Status);
        Assert.Equal("USER_NOT_FOUND", r.Code);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task UpdatePhoneNumber_NumberHeldByAnotherAccount_Is400()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("holder@example.com");
        var client = host.Client();
        await client.SignUpAsync("taker@example.com");
        var code = await host.SendOtpAsync(client: client);
        var r = await client.PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, updatePhoneNumber = true });
        Assert.Equal(400, r.Status);
        Assert.Equal("PHONE_NUMBER_ALREADY_EXISTS", r.Code);
        Assert.Null((await client.GetAsync("/get-session")).Json!["user"]!["phoneNumber"]);
    }

    [Fact]
    public async Task UpdateUser_CannotSetANumber_ButCanClearIt()
    {
        await using var host = await PhoneTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("guard@example.com");
        var code = await host.SendOtpAsync(client: client);
        await client.PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, updatePhoneNumber = true });

        var set = await client.PostAsync("/update-user", new { phoneNumber = PhoneTestHost.OtherPhone });
        Assert.Equal(400, set.Status);
        Assert.Equal("PHONE_NUMBER_CANNOT_BE_UPDATED", set.Code);
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal(PhoneTestHost.Phone, user["phoneNumber"]!.GetValue<string>());

        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "Renamed" })).Status);
        var cleared = await client.PostAsync("/update-user", new { phoneNumber = (string?)null });
        Assert.Equal(200, cleared.Status);
        user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Null(user["phoneNumber"]);
        Assert.False(user["phoneNumberVerified"]!.GetValue<bool>());
        Assert.Equal("Renamed", user["name"]!.GetValue<string>());
    }
}
