using System.Globalization;

namespace Binko.GenerationWorker.Llm;

/// <summary>The wait a server asked for: <c>retry-after-ms</c> (OpenAI, Azure OpenAI) or <c>Retry-After</c> in
/// seconds or as an HTTP date; capped, since a server may ask for minutes.</summary>
public static class RetryAfter
{
    public static TimeSpan? From(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        if (response is null)
            return null;
        TimeSpan? requested = null;
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            requested = TimeSpan.FromMilliseconds(ms);
        else if (response.Headers.RetryAfter?.Delta is { } delta)
            requested = delta;
        else if (response.Headers.RetryAfter?.Date is { } date)
            requested = date - time.GetUtcNow();
        if (requested is not { } wait)
            return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > cap ? cap : wait;
    }
}
