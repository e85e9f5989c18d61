namespace Binko.Api.Generations;

/// <summary>The <c>Idempotency-Key</c> request header (IETF draft, as Stripe uses it): 1–255 visible ASCII characters.</summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaximumLength = 255;

    /// <summary>Null when absent; false when present but malformed.</summary>
    public static bool TryRead(HttpRequest request, out string? key)
    {
        key = null;
        if (!request.Headers.TryGetValue(HeaderName, out var values))
            return true;
        var value = values.ToString();
        if (values.Count != 1 || value.Length is 0 or > MaximumLength || value.Any(c => c is < '!' or > '~'))
            return false;
        key = value;
        return true;
    }
}
