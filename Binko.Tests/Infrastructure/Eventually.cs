using System.Diagnostics;

namespace Binko.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: waiting for a state, never for a time.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (until(value))
                return value;
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0} s waiting for {what}; last value: {value}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
