import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import OpsServer

@Suite("Front door: request framing, header and idle timeouts, connection cap")
struct FrontDoorTests {
    static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    // MARK: HTTPFraming

    @Test func aRequestSentOneByteAtATimeCompletesOnlyAtItsBlankLine() {
        // setup
        var framing = HTTPFraming(kind: .request)
        let request = "GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n"
        var events = [[HTTPFraming.Event]]()
        // act
        for byte in request.utf8 { events.append(framing.consume(ByteBuffer(bytes: [byte]))) }
        // assert
        #expect(events.first == [.headStarted])
        #expect(events.last == [.headComplete, .messageComplete])
        #expect(events.dropFirst().dropLast().allSatisfy { $0.isEmpty })
        #expect(!framing.isMidMessage)
    }

    @Test func bodiesByLengthAndChunkedAndPipelinedRequestsAreFollowed() {
        var framing = HTTPFraming(kind: .request)
        let stream =
            "\r\nPOST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /b HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n"
            + "GET /c HTTP/1.1\r\n"
        #expect(
            framing.consume(Self.bytes(stream)) == [
                .headStarted, .headComplete, .messageComplete, .headStarted, .headComplete, .messageComplete,
                .headStarted,
            ])
        #expect(framing.isMidMessage)
        #expect(framing.consume(Self.bytes("\r\n")) == [.headComplete, .messageComplete])
    }

    @Test func aBodySplitAcrossReadsEndsWhereItsLengthSays() {
        var framing = HTTPFraming(kind: .request)
        #expect(
            framing.consume(Self.bytes("PUT /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345")) == [
                .headStarted, .headComplete,
            ])
        #expect(framing.isMidMessage)
        #expect(framing.consume(Self.bytes("6789")) == [])
        #expect(framing.consume(Self.bytes("0")) == [.messageComplete])
    }

    @Test(arguments: [
        "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ])
    func whatCannotBeFollowedStopsTheFraming(_ stream: String) {
        var framing = HTTPFraming(kind: .request)
        #expect(framing.consume(Self.bytes(stream)).last == .stoppedFollowing)
        #expect(framing.hasStopped)
    }

    @Test func anEndlessHeadIsGivenUpOn() {
        var framing = HTTPFraming(kind: .request)
        let events = framing.consume(
            Self.bytes("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: HTTPFraming.maximumHeadSize)))
        #expect(events == [.headStarted, .stoppedFollowing])
    }

    @Test func responsesEndByLengthChunksOrStatusAndInterimOnesDoNotCount() {
        var framing = HTTPFraming(kind: .response)
        framing.expectResponse(to: "POST")
        framing.expectResponse(to: "HEAD")
        framing.expectResponse(to: "GET")
        framing.expectResponse(to: "GET")
        let stream =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            + "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"  // HEAD: no body
            + "HTTP/1.1 304 Not Modified\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
        #expect(
            framing.consume(Self.bytes(stream)) == [
                .headComplete, .headComplete, .messageComplete, .headComplete, .messageComplete, .headComplete,
                .messageComplete, .headComplete, .messageComplete,
            ])
    }

    @Test func aSwitchingProtocolsResponseStopsTheFraming() {
        var framing = HTTPFraming(kind: .response)
        framing.expectResponse(to: "GET")
        #expect(framing.consume(Self.bytes("HTTP/1.1 101 Switching Protocols\r\n\r\n")).last == .stoppedFollowing)
        #expect(framing.hasStopped)
    }

    // MARK: ConnectionGuardHandler

    /// Records what the guard passes on.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var heads = 0
        var reasons = [ConnectionGuardHandler.CloseReason]()

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is ConnectionGuardHandler.RequestHeadReceived { heads += 1 }
            if let reason = event as? ConnectionGuardHandler.CloseReason { reasons.append(reason) }
        }
    }

    static func guarded(header: Int64 = 20, idle: Int64 = 60) throws -> (EmbeddedChannel, Recorder) {
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ConnectionGuardHandler(
                headerTimeout: .seconds(header), idleTimeout: .seconds(idle), logger: Logger(label: "test")),
            recorder,
        ])
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 1000)).wait()
        return (channel, recorder)
    }

    @Test func aConnectionThatSendsNothingIsClosedAtTheHeaderDeadline() throws {
        // setup
        let (channel, recorder) = try Self.guarded(header: 20)
        // act / assert
        channel.embeddedEventLoop.advanceTime(by: .seconds(19))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(recorder.reasons == [.headerTimeout])
    }

    @Test func aClientDribblingItsHeaderIsClosedAtTheDeadlineAnyway() throws {
        // setup
        let (channel, recorder) = try Self.guarded(header: 20, idle: 5)
        // act: one byte a second, never a complete header
        for byte in "GET / HTTP/1.1\r\nX-Slow: ".utf8 + Array(repeating: UInt8(ascii: "a"), count: 40) {
            guard channel.isActive else { break }
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        }
        // assert
        #expect(!channel.isActive)
        #expect(recorder.reasons == [.headerTimeout])
        #expect(recorder.heads == 0)
    }

    @Test func aCompleteHeaderInTimeLiftsTheDeadlineAndIsAnnouncedOnce() throws {
        // setup
        let (channel, recorder) = try Self.guarded(header: 20, idle: 60)
        // act
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        try channel.writeInbound(Self.bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(50))
        // assert: the server has not answered yet, so neither timeout applies
        #expect(channel.isActive)
        #expect(recorder.heads == 1)
        try channel.writeOutbound(Self.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        try channel.writeInbound(Self.bytes("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(recorder.heads == 1)
        #expect(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) }?.hasPrefix("GET /a") == true)
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        // setup: one request answered
        let (channel, recorder) = try Self.guarded(header: 20, idle: 60)
        try channel.writeInbound(Self.bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        try channel.writeOutbound(Self.bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        // act / assert: the idle time counts from the response
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(recorder.reasons == [.idleTimeout])
    }

    @Test func aLaterRequestsHeaderDeadlineStartsAtItsFirstByte() throws {
        // setup
        let (channel, recorder) = try Self.guarded(header: 20, idle: 60)
        try channel.writeInbound(Self.bytes("GET /a HTTP/1.1\r\n\r\n"))
        try channel.writeOutbound(Self.bytes("HTTP/1.1 204 No Content\r\n\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(40))
        // act: the next request starts, then dribbles
        for _ in 0..<25 where channel.isActive {
            try channel.writeInbound(Self.bytes("G"))
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        }
        // assert
        #expect(!channel.isActive)
        #expect(recorder.reasons == [.headerTimeout])
    }

    @Test func aStalledBodyIsClosedAfterTheIdleTimeout() throws {
        let (channel, recorder) = try Self.guarded(header: 20, idle: 30)
        try channel.writeInbound(Self.bytes("POST /a HTTP/1.1\r\nContent-Length: 100\r\n\r\nhalf"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(!channel.isActive)
        #expect(recorder.reasons == [.idleTimeout])
    }

    @Test func aQuietEventStreamOrWebSocketIsNotIdleClosed() throws {
        // setup: a streamed response under way, then an upgraded connection
        let (stream, _) = try Self.guarded(header: 20, idle: 30)
        try stream.writeInbound(Self.bytes("GET /events HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n"))
        try stream.writeOutbound(Self.bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"))
        let (socket, _) = try Self.guarded(header: 20, idle: 30)
        try socket.writeInbound(Self.bytes("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"))
        try socket.writeOutbound(Self.bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"))
        // act
        stream.embeddedEventLoop.advanceTime(by: .seconds(3600))
        socket.embeddedEventLoop.advanceTime(by: .seconds(3600))
        // assert
        #expect(stream.isActive)
        #expect(socket.isActive)
    }

    // MARK: ClientConnectionCounter

    @Test func theCapRefusesOneAddressOnlyAndExemptsTrustedProxies() throws {
        // setup
        let counter = ClientConnectionCounter(limit: 2)
        let channels = (0..<5).map { _ in EmbeddedChannel() }
        // act / assert
        #expect(counter.admit(channels[0], from: "192.0.2.1", exempt: false))
        #expect(counter.admit(channels[1], from: "192.0.2.1", exempt: false))
        #expect(!counter.admit(channels[2], from: "192.0.2.1", exempt: false))
        #expect(counter.admit(channels[2], from: "192.0.2.2", exempt: false))
        #expect(counter.admit(channels[3], from: "10.0.0.1", exempt: true))
        #expect(counter.admit(channels[4], from: "10.0.0.1", exempt: true))
        #expect(counter.count(from: "10.0.0.1") == 2)
        counter.release(channels[0], from: "192.0.2.1")
        counter.release(channels[0], from: "192.0.2.1")  // a second release changes nothing
        #expect(counter.count(from: "192.0.2.1") == 1)
        #expect(counter.openChannels.count == 4)
    }
}
