using System.Collections;
using System.Reflection;

namespace Messenger.Protocol.Tests.Support;

/// <summary>
/// Structural comparison of contract records: records compare arrays by reference, so a round trip needs this
/// to see that every element, at every depth, came back.
/// </summary>
public static class DeepEquality
{
    public static void AssertEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.AreEqual(expected is null, actual is null, $"{path}: one side is null (expected {expected ?? "null"}, actual {actual ?? "null"}).");
            return;
        }
        Assert.AreEqual(expected.GetType(), actual.GetType(), $"{path}: type");
        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is string or decimal)
        {
            Assert.AreEqual(expected, actual, $"{path}: value");
            return;
        }
        if (expected is IList expectedList)
        {
            var actualList = (IList)actual;
            Assert.AreEqual(expectedList.Count, actualList.Count, $"{path}: element count");
            for (var i = 0; i < expectedList.Count; i++)
            {
                AssertEqual(expectedList[i], actualList[i], $"{path}[{i}]");
            }
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }
}
