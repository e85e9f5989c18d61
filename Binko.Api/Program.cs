using Binko.Api.Extensions;
using Binko.ServiceDefaults;

namespace Binko.Api;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();

        app.Run();
    }
}
