using System.Reflection;

namespace Messenger.Protocol;

/// <summary>The version a program reports (`version`): its informational version, with the commit shortened to 7 digits.</summary>
public static class ProductVersion
{
    /// <summary>E.g. "1.0.0+8c87c0b" for an assembly built from a git checkout, else its plain version.</summary>
    public static string Of(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && version.Length > plus + 8 ? version[..(plus + 8)] : version;
    }
}
