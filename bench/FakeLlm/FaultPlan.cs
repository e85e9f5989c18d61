namespace Binko.Bench.FakeLlm;

/// <summary>The ways bench/chaos.sh makes the fake LLM fail.</summary>
public enum Fault
{
    None,
    /// <summary>429 with <c>Retry-After: 1</c>.</summary>
    TooManyRequests,
    /// <summary>500 with a JSON error body.</summary>
    ServerError,
    /// <summary>No answer for a minute: the worker's attempt timeout must give up first.</summary>
    Timeout,
    /// <summary>200 whose message is not the JSON asked for (prose, then a JSON object cut short).</summary>
    BrokenJson,
    /// <summary>200 headers and half a body, then the connection is aborted.</summary>
    CutStream,
}

/// <summary>
/// <c>--faults 429=1,500=1,timeout=1,broken=1,cut=1,ok=5</c>: each call draws its fault by weight, from a fixed seed, so
/// two runs fail alike. No <c>--faults</c>: every call answers.
/// </summary>
public sealed class FaultPlan(IReadOnlyList<(Fault Fault, int Weight)> weights)
{
    private static readonly Dictionary<string, Fault> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ok"] = Fault.None, ["429"] = Fault.TooManyRequests, ["500"] = Fault.ServerError,
        ["timeout"] = Fault.Timeout, ["broken"] = Fault.BrokenJson, ["cut"] = Fault.CutStream,
    };

    private readonly Random _random = new(13);
    private readonly int _total = weights.Sum(w => w.Weight);

    public static FaultPlan Parse(string? faults) => new(string.IsNullOrWhiteSpace(faults)
        ? [(Fault.None, 1)]
        : [.. faults.Split(',').Select(part => part.Split('=')).Select(pair => (Names[pair[0].Trim()], int.Parse(pair[1])))]);

    public Fault Next()
    {
        int draw;
        lock (_random)
            draw = _random.Next(_total);
        foreach (var (fault, weight) in weights)
        {
            if ((draw -= weight) < 0)
                return fault;
        }
        return Fault.None;
    }

    /// <summary>Answers the faults that replace the whole response; returns whether it did.</summary>
    public static async Task<bool> AnswerAsync(HttpContext http, Fault fault)
    {
        switch (fault)
        {
            case Fault.TooManyRequests:
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = "1";
                await http.Response.WriteAsJsonAsync(new { error = new { message = "Rate limit reached", type = "rate_limit_exceeded" } });
                return true;
            case Fault.ServerError:
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await http.Response.WriteAsJsonAsync(new { error = new { message = "The server had an error", type = "server_error" } });
                return true;
            case Fault.Timeout:
                await Task.Delay(TimeSpan.FromMinutes(1), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            case Fault.CutStream:
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":");
                await http.Response.Body.FlushAsync();
                http.Abort();
                return true;
            default:
                return false;
        }
    }
}
