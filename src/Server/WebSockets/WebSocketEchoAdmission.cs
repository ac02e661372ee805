namespace Edge.Server.WebSockets;

/// <summary>Admits everyone to the echo endpoint (it is for conformance suites; enable it only where that is safe).</summary>
public sealed class WebSocketEchoAdmission : IWebSocketAdmission
{
    public WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request) =>
        WebSocketAdmissionDecision.Accept(new WebSocketEchoHandler());
}
