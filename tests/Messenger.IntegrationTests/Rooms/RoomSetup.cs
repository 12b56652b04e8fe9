using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>Steps the room tests share.</summary>
internal static class RoomSetup
{
    /// <summary>The first client creates <paramref name="room"/> (and owns it); the others join, in order.</summary>
    public static async Task JoinAsync(string room, params TestClient[] clients)
    {
        clients[0].Type($"join {room}");
        await clients[0].ExpectAsync($"You created {room} and are its owner.");
        foreach (var client in clients.Skip(1))
        {
            client.Type($"join {room}");
            await client.ExpectAsync($"You joined {room}.");
        }
    }
}
