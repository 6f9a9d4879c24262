namespace MetricsPipeline.Agent.Tests;

/// <summary>A temporary directory with a fake proc/ tree.</summary>
internal sealed class FakeProc : IDisposable
{
    public FakeProc()
    {
        Root = Path.Combine(Path.GetTempPath(), "agent-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "proc", "net"));
        Directory.CreateDirectory(Path.Combine(Root, "proc", "self"));
    }

    public string Root { get; }

    public void Write(string relative, string text) => File.WriteAllText(Path.Combine(Root, relative), text);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
