using System.Security.Cryptography;

namespace Binko.Tests.Infrastructure;

internal static class Secrets
{
    /// <summary>A random password for a test server: hex, so it needs no quoting in any connection string.</summary>
    public static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
