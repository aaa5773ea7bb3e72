import NIOCore
import NIOHTTP1

/// One HTTP response, whole: WinRM answers are small SOAP documents (at most MaxEnvelopeSize, 150 KiB
/// by default), so they are collected rather than streamed.
public struct WinRMHTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why an exchange on an open connection failed.
enum HTTPExchangeError: Error, Equatable, CustomStringConvertible {
    case closedByPeer
    case responseTooLarge(limit: Int)
    case busy
    case timedOut(seconds: Double)

    var description: String {
        switch self {
        case .closedByPeer: "the server closed the connection"
        case .responseTooLarge(let limit): "the server sent a response larger than \(limit) bytes"
        case .busy: "a request is already in flight on this connection"
        case .timedOut(let seconds): "no response within \(seconds) s"
        }
    }
}

/// A request to write, and the promise its response fulfils.
struct HTTPExchange {
    var head: HTTPRequestHead
    var body: ByteBuffer
    var response: EventLoopPromise<WinRMHTTPResponse>
}

/// Writes one request at a time and collects its response. HTTP/1.1 without pipelining: NTLM ties its
/// state to the connection, so the connection carries one exchange after another.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private let maxResponseBytes: Int
    private var pending: EventLoopPromise<WinRMHTTPResponse>?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(maxResponseBytes: Int) {
        self.maxResponseBytes = maxResponseBytes
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard pending == nil else {
            exchange.response.fail(HTTPExchangeError.busy)
            promise?.fail(HTTPExchangeError.busy)
            return
        }
        pending = exchange.response
        head = nil
        body.removeAll(keepingCapacity: true)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if exchange.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(exchange.body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
        case .body(var buffer):
            guard pending != nil else { return }
            if body.count + buffer.readableBytes > maxResponseBytes {
                fail(HTTPExchangeError.responseTooLarge(limit: maxResponseBytes))
                context.close(promise: nil)
                return
            }
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let promise = pending, let responseHead = head else { return }
            pending = nil
            head = nil
            let collected = body
            body = []
            promise.succeed(
                WinRMHTTPResponse(status: Int(responseHead.status.code), headers: responseHead.headers, body: collected)
            )
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(HTTPExchangeError.closedByPeer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        guard let promise = pending else { return }
        pending = nil
        promise.fail(error)
    }
}
