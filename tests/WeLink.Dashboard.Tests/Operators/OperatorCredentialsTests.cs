using WeLink.Dashboard.Features.Operators;

namespace WeLink.Dashboard.Tests.Operators;

public sealed class OperatorCredentialsTests
{
    [Theory]
    [InlineData("admin")]
    [InlineData("jane.doe@example.test")]
    [InlineData("ops_2-night")]
    public void CheckUserName_Acceptable_IsNull(string userName) => Assert.Null(OperatorCredentials.CheckUserName(userName));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two words")]
    [InlineData("token:ci")]
    [InlineData("<script>")]
    public void CheckUserName_Unacceptable_SaysWhy(string? userName) => Assert.NotNull(OperatorCredentials.CheckUserName(userName));

    [Fact]
    public void CheckUserName_TooLong_SaysWhy() =>
        Assert.NotNull(OperatorCredentials.CheckUserName(new string('a', OperatorCredentials.MaxUserNameLength + 1)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("          ")]
    public void CheckPassword_Unacceptable_SaysWhyWithoutEchoingIt(string? password)
    {
        var error = OperatorCredentials.CheckPassword(password);

        Assert.NotNull(error);
        if (!string.IsNullOrWhiteSpace(password)) Assert.DoesNotContain(password, error);
    }

    [Fact]
    public void CheckPassword_LongEnough_IsNull() => Assert.Null(OperatorCredentials.CheckPassword("correct horse battery"));

    [Fact]
    public void GeneratePassword_IsLongRandomAndAcceptable()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => OperatorCredentials.GeneratePassword()).ToList();

        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.All(passwords, p =>
        {
            Assert.Equal(OperatorCredentials.GeneratedPasswordLength, p.Length);
            Assert.Null(OperatorCredentials.CheckPassword(p));
            Assert.All(p, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
            Assert.DoesNotContain('0', p);
            Assert.DoesNotContain('O', p);
            Assert.DoesNotContain('l', p);
        });
    }
}
