using System.Text.Json;
using System.Text.RegularExpressions;

namespace Binko.Bench.FakeLlm;

/// <summary>
/// POST {any base}/chat/completions: waits <c>--latency-ms</c> (default 200), then answers valid ideas for the prompt
/// ("exactly N", the person's first skill and level). With <c>--faults kind=weight,...</c> each call instead fails in one
/// of the ways an LLM endpoint fails, drawn by weight from a fixed seed (<see cref="Fault"/>). GET /calls: the calls so
/// far. Prints "FakeLlm listening on URL" once started.
/// </summary>
public static partial class Program
{
    private static int _calls;

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var latency = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("latency-ms", 200));
        var faults = FaultPlan.Parse(builder.Configuration["faults"]);
        var app = builder.Build();
        app.Run(async http =>
        {
            if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path == "/calls")
            {
                await http.Response.WriteAsync(Volatile.Read(ref _calls).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path.Value?.EndsWith("/chat/completions") != true)
            {
                http.Response.StatusCode = 404;
                return;
            }
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var prompt = string.Join("\n", body.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => m.GetProperty("content")).Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText()));
            var call = Interlocked.Increment(ref _calls);
            await Task.Delay(latency);
            var fault = faults.Next();
            if (await FaultPlan.AnswerAsync(http, fault))
                return;
            var content = fault == Fault.BrokenJson
                ? "Sure! Here are your ideas: {\"ideas\": [{\"title\": \"Half an idea"
                : JsonSerializer.Serialize(new { ideas = Ideas(prompt, call) });
            await http.Response.WriteAsJsonAsync(new
            {
                id = $"chatcmpl-{call}",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model = "bench-model",
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = prompt.Length / 4, completion_tokens = content.Length / 4, total_tokens = (prompt.Length + content.Length) / 4 },
            });
        });
        await app.StartAsync();
        Console.WriteLine($"FakeLlm listening on {app.Urls.First()}");
        await app.WaitForShutdownAsync();
    }

    private static IEnumerable<object> Ideas(string prompt, int call)
    {
        var count = Count().Match(prompt) is { Success: true } c ? int.Parse(c.Groups[1].Value) : 3;
        var level = Level().Match(prompt) is { Success: true } l ? l.Groups[1].Value : "beginner";
        var skill = Skill().Match(prompt) is { Success: true } s ? s.Groups[1].Value : "python";
        return Enumerable.Range(1, count).Select(i => new
        {
            title = $"Bench idea {call}.{i}",
            summary = "An idea from the bench's fake LLM.",
            difficulty = level,
            tags = new[] { "bench" },
            skills = new[] { skill },
            estimated_hours = 10,
        });
    }

    [GeneratedRegex(@"exactly (\d+)")]
    private static partial Regex Count();

    [GeneratedRegex("\"experience_level\":\"(\\w+)\"")]
    private static partial Regex Level();

    [GeneratedRegex("\"skills\":\\[\"([^\"]+)\"")]
    private static partial Regex Skill();
}
