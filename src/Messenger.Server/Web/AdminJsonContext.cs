using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messenger.Server.Web;

/// <summary>
/// The dashboard API's JSON, generated at compile time: reflection-based serialization is not available in the Native
/// AOT build of the server. camelCase, as the dashboard's script reads it; names are matched case-insensitively when
/// reading a form.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdminForm))]
[JsonSerializable(typeof(AdminSessionAnswer))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(AdminMessage))]
[JsonSerializable(typeof(AdminOverview))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
