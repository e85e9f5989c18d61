using System.Text.Json.Nodes;
using Binko.Api.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Binko.Api.Extensions;

public static class OpenApiExtensions
{
    private const string BearerScheme = "Bearer";

    /// <summary>The v1 OpenAPI document: title, version, the bearer scheme on the operations that need a token,
    /// and example request bodies.</summary>
    public static void AddApiDocumentation(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Binko API",
                    Version = "v1",
                    Description = "Project ideas catalog, profiles and generations. JSON is snake_case; errors are RFC 9457 " +
                        "problem details with error_code and trace_id. Catalog writes need a token with role admin.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A JWT from the configured issuer (`dotnet user-jwts create --project Binko.Api` in Development).",
                };
                return Task.CompletedTask;
            });

            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }
                return Task.CompletedTask;
            });

            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (ApiExamples.For(context.JsonTypeInfo.Type) is { } example)
                    schema.Examples = [JsonNode.Parse(example)!];
                return Task.CompletedTask;
            });
        });

    /// <summary>/openapi/v1.json in every environment; the Scalar UI at /scalar in Development only.</summary>
    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference("/scalar", options => options.WithTitle("Binko API"));
        return app;
    }
}
