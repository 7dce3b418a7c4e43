using System.Security.Cryptography;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>What an operator's user name and password must look like, and strong generated passwords.</summary>
public static class OperatorCredentials
{
    public const int MaxUserNameLength = 64;
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;
    public const int GeneratedPasswordLength = 24;

    // No look-alikes (0/O, 1/l/I): a generated password is read off a console and typed in.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>The problem with <paramref name="userName"/>, or null when it is acceptable.</summary>
    public static string? CheckUserName(string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName)) return "Enter a user name.";
        if (userName.Length > MaxUserNameLength) return $"A user name has at most {MaxUserNameLength} characters.";
        // No ':' keeps operators apart from API tokens, which act as "token:<name>".
        if (!userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            return "A user name has letters, digits and . _ - @ only.";
        return null;
    }

    /// <summary>The problem with <paramref name="password"/>, or null when it is acceptable. Never echoes it.</summary>
    public static string? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "Enter a password.";
        if (password.Length < MinPasswordLength) return $"A password has at least {MinPasswordLength} characters.";
        if (password.Length > MaxPasswordLength) return $"A password has at most {MaxPasswordLength} characters.";
        if (string.IsNullOrWhiteSpace(password)) return "A password cannot be only spaces.";
        return null;
    }

    /// <summary>A random password of <see cref="GeneratedPasswordLength"/> characters (about 140 bits).</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);
}
